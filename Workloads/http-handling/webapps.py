"""The default web apps of the server variants: the JSON API of http_app.py written the way
people write it with a framework, as a Flask app (WSGI) and a Starlette app (ASGI).

Both read the same in-memory Catalog and answer every route with the same bytes as the stdlib
handler (`http_app.encode`, i.e. json.dumps), so the mix's checksums apply unchanged.
Imported only by the server variants, whose venvs hold Flask or Starlette.
"""


def flask_app(catalog, encode, sorts):
    """A Flask app serving /items, /item/<id>, /search and /report from `catalog`."""
    from flask import Flask, Response, request

    app = Flask("ftlab_http_handling")

    def answer(status, doc):
        return Response(encode(doc), status=status, mimetype="application/json")

    @app.get("/items")
    def items():
        category = request.args.get("category")
        sort = request.args.get("sort", "price")
        if category not in catalog.by_category or sort not in sorts:
            return answer(404, {"error": "no such category or sort"})
        try:
            limit, offset = int(request.args.get("limit", "20")), int(request.args.get("offset", "0"))
        except ValueError as exc:
            return answer(400, {"error": f"bad query: {exc}"})
        return answer(200, catalog.page(category, sort, limit, offset))

    @app.get("/item/<int:item_id>")
    def item(item_id):
        if item_id not in catalog.by_id:
            return answer(404, {"error": f"no item {item_id}"})
        return answer(200, catalog.item(item_id))

    @app.get("/search")
    def search():
        tag = request.args.get("tag")
        if tag not in catalog.by_tag:
            return answer(404, {"error": f"no tag {tag}"})
        try:
            limit = int(request.args.get("limit", "20"))
        except ValueError as exc:
            return answer(400, {"error": f"bad query: {exc}"})
        return answer(200, catalog.search(tag, limit))

    @app.get("/report")
    def report():
        category = request.args.get("category")
        if category not in catalog.by_category:
            return answer(404, {"error": f"no category {category}"})
        return answer(200, catalog.report(category))

    @app.errorhandler(404)
    def not_found(_):
        return answer(404, {"error": f"no route {request.path}"})

    return app


def starlette_app(catalog, encode, sorts):
    """A Starlette app serving the same routes (async handlers, no blocking work)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    def answer(status, doc):
        return Response(encode(doc), status_code=status, media_type="application/json")

    async def items(request):
        args = request.query_params
        category, sort = args.get("category"), args.get("sort", "price")
        if category not in catalog.by_category or sort not in sorts:
            return answer(404, {"error": "no such category or sort"})
        try:
            limit, offset = int(args.get("limit", "20")), int(args.get("offset", "0"))
        except ValueError as exc:
            return answer(400, {"error": f"bad query: {exc}"})
        return answer(200, catalog.page(category, sort, limit, offset))

    async def item(request):
        item_id = request.path_params["item_id"]
        if item_id not in catalog.by_id:
            return answer(404, {"error": f"no item {item_id}"})
        return answer(200, catalog.item(item_id))

    async def search(request):
        tag = request.query_params.get("tag")
        if tag not in catalog.by_tag:
            return answer(404, {"error": f"no tag {tag}"})
        try:
            limit = int(request.query_params.get("limit", "20"))
        except ValueError as exc:
            return answer(400, {"error": f"bad query: {exc}"})
        return answer(200, catalog.search(tag, limit))

    async def report(request):
        category = request.query_params.get("category")
        if category not in catalog.by_category:
            return answer(404, {"error": f"no category {category}"})
        return answer(200, catalog.report(category))

    async def not_found(request, exc):
        return answer(404, {"error": f"no route {request.url.path}"})

    return Starlette(routes=[Route("/items", items), Route("/item/{item_id:int}", item),
                             Route("/search", search), Route("/report", report)],
                     exception_handlers={404: not_found})
