"""Never imported: its requirement cannot be installed."""


def create(variant, threads, params, seed):
    raise RuntimeError("unreachable")
