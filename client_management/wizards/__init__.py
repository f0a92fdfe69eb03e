from . import client_assign_manager
from . import client_tag_merge
from . import base_partner_merge_automatic_wizard
from . import client_import_wizard
from . import client_import_wizard_line
from . import mail_compose_message
from . import mail_compose_message_email_to
from . import client_message_composer
