from . import test_partner_core
from . import test_security
from . import test_ui
from . import test_views
from . import test_import
from . import test_import_wizard
from . import test_export
from . import test_hostile
