from . import account_move
from . import client_import
from . import client_import_job
from . import res_partner
