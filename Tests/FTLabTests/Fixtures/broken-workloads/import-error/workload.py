"""Imports a module that is not installed."""

import no_such_module_for_ftlab_tests


def create(variant, threads, params, seed):
    return no_such_module_for_ftlab_tests.Workload()
