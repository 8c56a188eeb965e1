"""Counts each request's SQL queries and their time into response headers, for ``bench/pages.py``."""

import time

from django.db import connection


def count_queries(get_response):
    def middleware(request):
        stats = {"count": 0, "seconds": 0.0}

        def wrapper(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["count"] += 1
                stats["seconds"] += time.perf_counter() - start

        with connection.execute_wrapper(wrapper):
            response = get_response(request)
        # A streamed response runs most of its queries after this point; the header then counts only the first.
        response["X-Bench-Queries"] = str(stats["count"])
        response["X-Bench-SQL-ms"] = f"{stats['seconds'] * 1000:.1f}"
        response["X-Bench-Streaming"] = "1" if response.streaming else "0"
        return response

    return middleware
