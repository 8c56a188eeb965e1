from tests.test_views import *  # noqa
def test_dbg(logged_in, scenario):
    html = logged_in.get("/").content.decode()
    menu = re.search(r'<div class="user-menu">(.*?)</div>', html, flags=re.S).group(1)
    print(repr(menu))
