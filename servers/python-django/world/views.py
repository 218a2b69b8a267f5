"""The endpoints, twice: `raw_*` through Django's database cursor with hand-written SQL, `orm_*` through
the ORM (QuerySets, model instances, save()). Both share the connection handling, the template and the
JSON serialisation, so their difference is the ORM's.
"""

import random
from operator import itemgetter

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import get_template

from world.models import Fortune, World

WORLD_ROWS = 10_000
MAX_QUERIES = 500
EXTRA_FORTUNE = (0, "Additional fortune added at request time.")
SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = %s"
SELECT_FORTUNES = "SELECT id, message FROM fortune"
UPDATE_WORLD = "UPDATE world SET randomnumber = %s WHERE id = %s"


def query_count(request) -> int:
    """The queries parameter clamped to 1..500; missing, empty, 0, negative or not an integer -> 1."""
    try:
        n = int(request.GET.get("queries", ""))
    except ValueError:
        return 1
    return min(max(n, 1), MAX_QUERIES)


def random_id() -> int:
    return random.randint(1, WORLD_ROWS)


def random_ids(n: int):
    """n distinct ids, so no row is read or written twice in one request."""
    return random.sample(range(1, WORLD_ROWS + 1), n)


def world(id_, number) -> dict:
    return {"id": id_, "randomNumber": number}


def json_list(rows):
    return JsonResponse(rows, safe=False)


def fortunes_page(rows):
    rows = list(rows)
    rows.append(EXTRA_FORTUNE)
    rows.sort(key=itemgetter(1))  # the SQL has no ORDER BY: sorting is the application's work
    return HttpResponse(get_template("fortunes.html").render({"fortunes": rows}),
                        content_type="text/html; charset=utf-8")


def json_view(request):
    return JsonResponse({"message": "Hello, World!"})


def plaintext(request):
    return HttpResponse(b"Hello, World!", content_type="text/plain")


# --- raw: the cursor, hand-written SQL ---

def _raw_read(cursor, id_):
    cursor.execute(SELECT_WORLD, [id_])
    return cursor.fetchone()


def raw_db(request):
    with connection.cursor() as cursor:
        return JsonResponse(world(*_raw_read(cursor, random_id())))


def raw_queries(request):
    with connection.cursor() as cursor:
        return json_list([world(*_raw_read(cursor, id_)) for id_ in random_ids(query_count(request))])


def raw_fortunes(request):
    with connection.cursor() as cursor:
        cursor.execute(SELECT_FORTUNES)
        return fortunes_page(cursor.fetchall())


def raw_updates(request):
    with transaction.atomic(), connection.cursor() as cursor:
        rows = sorted((_raw_read(cursor, id_)[0], random_id()) for id_ in random_ids(query_count(request)))
        # executemany in id order (concurrent requests lock rows in the same order): one UPDATE per row.
        cursor.executemany(UPDATE_WORLD, [(number, id_) for id_, number in rows])
    return json_list([world(id_, number) for id_, number in rows])


# --- orm: QuerySets and model instances ---

def orm_db(request):
    w = World.objects.get(id=random_id())
    return JsonResponse(world(w.id, w.randomnumber))


def orm_queries(request):
    return json_list([world(w.id, w.randomnumber)
                      for w in (World.objects.get(id=id_) for id_ in random_ids(query_count(request)))])


def orm_fortunes(request):
    return fortunes_page((f.id, f.message) for f in Fortune.objects.all())


def orm_updates(request):
    with transaction.atomic():
        worlds = sorted((World.objects.get(id=id_) for id_ in random_ids(query_count(request))),
                        key=lambda w: w.id)
        for w in worlds:
            w.randomnumber = random_id()
            # Django's save() has no dirty tracking: it sends the UPDATE whatever the value.
            w.save(update_fields=["randomnumber"])
    return json_list([world(w.id, w.randomnumber) for w in worlds])
