from . import client_assign_manager
from . import client_tag_merge
