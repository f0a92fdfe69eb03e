from . import client_assign_manager, client_tag_merge
