from . import test_partner_core, test_security
