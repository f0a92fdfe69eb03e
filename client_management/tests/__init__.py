from . import test_partner_core
from . import test_security
from . import test_ui
from . import test_views
