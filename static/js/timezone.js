// Tell the server this browser's time zone, so times are shown in it (see disputes/core/timezones.py).
(function () {
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { return; }
  if (!/^[A-Za-z0-9_+\/-]{1,64}$/.test(zone)) return;
  if (document.cookie.split("; ").indexOf("viewer_tz=" + zone) !== -1) return;
  document.cookie = "viewer_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
})();
