"""Which imports re-enabled the GIL on a free-threaded build (`gil_enabled_by` in `hello`)."""

import warnings

GIL_WARNING = "The global interpreter lock (GIL) has been enabled to load module "


class GILWatch:
    """Records the modules whose import re-enabled the GIL (CPython says so with a
    RuntimeWarning naming the module), still showing each warning as before."""

    def __init__(self):
        self.modules = []
        self.show = warnings.showwarning
        warnings.showwarning = self._seen

    def _seen(self, message, category, filename, lineno, file=None, line=None):
        text = str(message)
        if category is RuntimeWarning and text.startswith(GIL_WARNING):
            name = text[len(GIL_WARNING):].split("'")[1] if "'" in text else text[len(GIL_WARNING):]
            if name not in self.modules:
                self.modules.append(name)
        self.show(message, category, filename, lineno, file, line)
