"""Loading a workload: its manifest (FTLAB_MANIFEST_JSON from ftlab, else workload.toml), the
variant and params checked against it, workload.py imported and its instance created."""

import importlib.util
import os
import sys

from _ftlab_args import UsageError
from _ftlab_manifest import ENVIRONMENT_KEY, manifest_from_json, read_manifest


def load_workload(directory, args, variant):
    """Take the manifest (FTLAB_MANIFEST_JSON from ftlab, else workload.toml), check `variant` and
    params, import workload.py and create the instance."""
    given = os.environ.get(ENVIRONMENT_KEY)
    manifest_path = os.path.join(directory, "workload.toml")
    module_path = os.path.join(directory, "workload.py")
    for path in (module_path,) if given is not None else (manifest_path, module_path):
        if not os.path.isfile(path):
            raise UsageError(f"--workload-dir {directory!r} has no {os.path.basename(path)}")
    manifest = manifest_from_json(given) if given is not None else read_manifest(manifest_path)
    if variant not in manifest.variants:
        raise UsageError(
            f"unknown variant {variant!r} for {manifest.name}; "
            f"variants: {', '.join(manifest.variants)}"
        )
    limit = manifest.max_threads.get(variant)
    if limit is not None and args.threads > limit:
        raise UsageError(f"{manifest.name}/{variant} runs at most {limit} thread"
                         f"{'' if limit == 1 else 's'} (max_threads), not {args.threads}")
    unknown = sorted(set(args.param) - set(manifest.params))
    if unknown:
        raise UsageError(
            f"unknown param {', '.join(map(repr, unknown))} for {manifest.name}; "
            f"params: {', '.join(manifest.params) or '(none)'}"
        )
    params = {**manifest.params, **args.param}

    name = "_ftlab_workload_" + "".join(c if c.isalnum() else "_" for c in manifest.name)
    spec = importlib.util.spec_from_file_location(name, module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    instance = module.create(variant, args.threads, dict(params), args.seed)
    return manifest, params, instance


def check(directory, args):
    """`--check`: create the workload and run its optional `precheck()` (any kind: e.g. call a
    `--callable` function once) and, for a server, its optional `check()` (e.g. import the
    user's app, read a request file), nothing else. A ValueError there is a bad argument:
    exit 2 with an `error` whose message starts with `UsageError: `; exit 0 sends nothing."""
    try:
        manifest, _, instance = load_workload(directory, args, args.variant[0])
        hooks = [getattr(instance, "precheck", None)]
        if manifest.kind == "server":
            hooks.append(getattr(instance, "check", None))
        for hook in hooks:
            if hook is not None:
                hook()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return 0
