from . import test_crm_conflict
from . import test_crm_card
from . import test_crm_timeline
from . import test_crm_ui
