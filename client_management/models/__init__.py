from . import account_move, res_partner
