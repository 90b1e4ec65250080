"""The app every http-handling server serves: an in-memory catalog and the JSON API over it
(routes in workload.py's docstring), with the exact body each target of the request mix must get.

Every response is computed per request from the catalog (no response cache): route, parse the
query, filter, sort, json.dumps. The stdlib designs (stdlib_servers.py) call `App.respond`; the
Flask and Starlette apps (webapps.py) read the same catalog and encode with the same `encode`.
"""

import json
import random
import sys
import traceback
import urllib.parse

CATEGORIES = ["books", "garden", "kitchen", "music", "outdoor", "toys",
              "tools", "games", "office", "pets", "sports", "travel"]
TAGS = ["sale", "new", "eco", "gift", "bulk", "local", "premium", "classic",
        "kids", "pro", "mini", "smart"]
ADJECTIVES = ["red", "quiet", "sturdy", "tiny", "golden", "rapid", "soft", "bright", "humble", "grand"]
NOUNS = ["lamp", "kettle", "chair", "drum", "tent", "kite", "hammer", "puzzle", "stapler", "leash"]
SORTS = {"price": lambda item: (item["price_cents"], item["id"]),
         "rating": lambda item: (-item["rating"], item["id"]),
         "name": lambda item: (item["name"], item["id"])}
MIX_SIZE = 64  # distinct targets the load generator cycles through


class Catalog:
    """The in-memory dataset: read-only once built, shared by every server thread."""

    def __init__(self, products, seed):
        rng = random.Random(seed)
        self.items = []
        for i in range(1, products + 1):
            self.items.append({
                "id": i,
                "name": f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i}",
                "category": rng.choice(CATEGORIES),
                "price_cents": rng.randrange(199, 99_999),
                "stock": rng.randrange(0, 500),
                "rating": round(rng.uniform(1, 5), 2),
                "tags": sorted(rng.sample(TAGS, 3)),
                "description": " ".join(rng.choice(ADJECTIVES + NOUNS) for _ in range(12)),
            })
        # Indexes, as a database would keep them: by id, by category in each sort order, by tag.
        self.by_id = {item["id"]: item for item in self.items}
        self.by_category = {name: [] for name in CATEGORIES}
        self.by_tag = {name: [] for name in TAGS}
        for item in self.items:
            self.by_category[item["category"]].append(item)
            for tag in item["tags"]:
                self.by_tag[tag].append(item)
        self.sorted = {(category, sort): sorted(items, key=key)
                       for category, items in self.by_category.items() for sort, key in SORTS.items()}

    def page(self, category, sort, limit, offset):
        chosen = self.sorted[(category, sort)]
        return {"category": category, "sort": sort, "total": len(chosen), "offset": offset,
                "items": [{"id": it["id"], "name": it["name"], "price_cents": it["price_cents"],
                           "rating": it["rating"]} for it in chosen[offset:offset + limit]]}

    def item(self, item_id):
        return self.by_id[item_id]

    def search(self, tag, limit):
        found = self.by_tag[tag]
        return {"tag": tag, "total": len(found),
                "items": [{"id": it["id"], "name": it["name"]} for it in found[:limit]]}

    def report(self, category):
        chosen = self.by_category[category]
        return {"category": category, "count": len(chosen),
                "stock": sum(it["stock"] for it in chosen),
                "mean_price_cents": sum(it["price_cents"] for it in chosen) // max(1, len(chosen)),
                "items": chosen}

    # The routes' answers, (status, doc), from the query's text values: shared by the stdlib
    # handler and the framework apps (webapps.py), so that every server answers alike.
    def items_answer(self, category, sort, limit, offset):
        if category not in self.by_category or sort not in SORTS:
            return 404, {"error": "no such category or sort"}
        try:
            return 200, self.page(category, sort, int(limit), int(offset))
        except ValueError as exc:
            return 400, {"error": f"bad query: {exc}"}

    def item_answer(self, item_id):
        if item_id not in self.by_id:
            return 404, {"error": f"no item {item_id}"}
        return 200, self.item(item_id)

    def search_answer(self, tag, limit):
        if tag not in self.by_tag:
            return 404, {"error": f"no tag {tag}"}
        try:
            return 200, self.search(tag, int(limit))
        except ValueError as exc:
            return 400, {"error": f"bad query: {exc}"}

    def report_answer(self, category):
        if category not in self.by_category:
            return 404, {"error": f"no category {category}"}
        return 200, self.report(category)


class App:
    """Routing and response bodies, shared by every server design."""

    def __init__(self, products, seed):
        self.products = products
        self.seed = seed
        self.catalog = None
        self.mix = {}
        self.failures = []  # handler exceptions (list.append is thread-safe on both builds)

    def prepare(self):
        """Build the catalog and the request mix with each target's expected body."""
        self.catalog = Catalog(self.products, self.seed)
        rng = random.Random(self.seed + 1)
        for i in range(MIX_SIZE):
            kind = i % 32
            if kind < 12:
                category, sort = rng.choice(CATEGORIES), rng.choice(sorted(SORTS))
                limit, offset = rng.choice([10, 20, 50]), rng.choice([0, 0, 10, 40])
                target = f"/items?category={category}&sort={sort}&limit={limit}&offset={offset}"
                doc = self.catalog.page(category, sort, limit, offset)
            elif kind < 24:
                item_id = rng.randrange(1, self.products + 1)
                target, doc = f"/item/{item_id}", self.catalog.item(item_id)
            elif kind < 31:
                tag, limit = rng.choice(TAGS), rng.choice([5, 20])
                target, doc = f"/search?tag={tag}&limit={limit}", self.catalog.search(tag, limit)
            else:
                category = rng.choice(CATEGORIES)
                target, doc = f"/report?category={category}", self.catalog.report(category)
            self.mix[target] = encode(doc)

    def respond(self, method, target):
        """(status, body) for one request; a handler exception is recorded and answered 500."""
        try:
            return self._route(method, target)
        except Exception as exc:
            self.failures.append(f"{method} {target}: {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
            return 500, encode({"error": "internal error"})

    def _route(self, method, target):
        if method != "GET":
            return 405, encode({"error": f"method {method} not allowed"})
        path, _, query = target.partition("?")
        args = urllib.parse.parse_qs(query)
        catalog = self.catalog
        try:
            if path == "/items":
                status, doc = catalog.items_answer(one(args, "category"), one(args, "sort", "price"),
                                                   one(args, "limit", "20"), one(args, "offset", "0"))
            elif path.startswith("/item/"):
                status, doc = catalog.item_answer(int(path[len("/item/"):]))
            elif path == "/search":
                status, doc = catalog.search_answer(one(args, "tag"), one(args, "limit", "20"))
            elif path == "/report":
                status, doc = catalog.report_answer(one(args, "category"))
            else:
                status, doc = 404, {"error": f"no route {path}"}
        except (KeyError, ValueError) as exc:
            return 400, encode({"error": f"bad query: {exc}"})
        return status, encode(doc)

def one(args, name, default=None):
    """The single value of query parameter `name` (KeyError when missing and no default)."""
    values = args.get(name)
    if not values:
        if default is None:
            raise KeyError(name)
        return default
    return values[0]


def encode(doc):
    return json.dumps(doc).encode()
