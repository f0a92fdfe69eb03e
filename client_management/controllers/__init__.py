from . import caller
