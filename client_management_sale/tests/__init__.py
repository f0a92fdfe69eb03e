from . import test_sale_conflict
from . import test_sale_deals
from . import test_sale_discount
from . import test_sale_timeline
from . import test_sale_ui
