def create(variant, threads, params, seed):
    raise AssertionError("never imported: the manifest is broken")
