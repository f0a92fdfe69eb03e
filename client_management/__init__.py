from . import controllers, models, wizards
from .hooks import post_init_hook
from .uninstall import uninstall_hook
