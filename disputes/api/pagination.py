"""Cursor pagination whose bad cursors are a 400 with a message, never a 404 or a 500."""

import base64

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages in id order: stable while records are added, and cheap at any depth (``WHERE id > …``)."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_cursor_message = _("This cursor is not valid. Start again from the first page.")

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded:  # an empty ?cursor= means the first page, as DRF reads it
            # DRF decodes leniently: "%%%" would decode to nothing and silently mean "the first page".
            try:
                if not base64.b64decode(encoded.encode("ascii"), validate=True):
                    raise ValueError(encoded)
            except ValueError as exc:  # binascii.Error and UnicodeEncodeError are ValueErrors
                raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        # DRF trusts the position it finds in the cursor; a hand-made one with a non-number would reach the
        # ``id > position`` filter and fail there.
        if cursor is not None and cursor.position is not None:
            try:
                if not -(2**63) <= int(cursor.position) < 2**63:  # a 64-bit id, as the database stores it
                    raise ValueError(cursor.position)
            except ValueError as exc:
                raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        return cursor
