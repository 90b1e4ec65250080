"""The default web apps of the server variants: the JSON API of http_app.py written the way
people write it with a framework, as a Flask app (WSGI) and a Starlette app (ASGI).

Both answer through the same in-memory Catalog's route answers as the stdlib handler
(`Catalog.*_answer`) and encode with `http_app.encode` (json.dumps), so every route's bytes
are the same and the mix's checksums apply unchanged.
Imported only by the server variants, whose venvs hold Flask or Starlette.
"""


def flask_app(catalog, encode):
    """A Flask app serving /items, /item/<id>, /search and /report from `catalog`."""
    from flask import Flask, Response, request

    app = Flask("ftlab_http_handling")

    def answer(status, doc):
        return Response(encode(doc), status=status, mimetype="application/json")

    @app.get("/items")
    def items():
        args = request.args
        return answer(*catalog.items_answer(args.get("category"), args.get("sort", "price"),
                                            args.get("limit", "20"), args.get("offset", "0")))

    @app.get("/item/<int:item_id>")
    def item(item_id):
        return answer(*catalog.item_answer(item_id))

    @app.get("/search")
    def search():
        return answer(*catalog.search_answer(request.args.get("tag"), request.args.get("limit", "20")))

    @app.get("/report")
    def report():
        return answer(*catalog.report_answer(request.args.get("category")))

    @app.errorhandler(404)
    def not_found(_):
        return answer(404, {"error": f"no route {request.path}"})

    return app


def starlette_app(catalog, encode):
    """A Starlette app serving the same routes (async handlers, no blocking work)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    def answer(status, doc):
        return Response(encode(doc), status_code=status, media_type="application/json")

    async def items(request):
        args = request.query_params
        return answer(*catalog.items_answer(args.get("category"), args.get("sort", "price"),
                                            args.get("limit", "20"), args.get("offset", "0")))

    async def item(request):
        return answer(*catalog.item_answer(request.path_params["item_id"]))

    async def search(request):
        args = request.query_params
        return answer(*catalog.search_answer(args.get("tag"), args.get("limit", "20")))

    async def report(request):
        return answer(*catalog.report_answer(request.query_params.get("category")))

    async def not_found(request, exc):
        return answer(404, {"error": f"no route {request.url.path}"})

    return Starlette(routes=[Route("/items", items), Route("/item/{item_id:int}", item),
                             Route("/search", search), Route("/report", report)],
                     exception_handlers={404: not_found})
