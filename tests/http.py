"""Reading responses in tests, streamed or not."""


def body(response) -> bytes:
    """The bytes of a response; a streamed body (exports, calendars) is read once and kept."""
    if not hasattr(response, "wire"):
        response.wire = b"".join(response.streaming_content) if response.streaming else response.content
    return response.wire
