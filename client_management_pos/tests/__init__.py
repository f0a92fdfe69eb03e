from . import test_pos_client
from . import test_pos_search
from . import test_pos_timeline
from . import test_pos_ui
