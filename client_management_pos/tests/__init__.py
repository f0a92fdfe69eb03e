from . import test_pos_timeline
