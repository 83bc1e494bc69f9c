"""servant's calendar on a CalDAV server (``servant publish``).

- ``settings``: where the server is, who logs in, and the password (config, environment,
  options; ``password_command``);
- ``server``: the server through the ``caldav`` library (imported only when a
  ``Server`` is made): find or make the calendar, list it, write and remove objects,
  every failure said in one line;
- ``plan``: what servant would send against what it recorded and what the server
  lists: what to add, change and remove (pure).
"""
