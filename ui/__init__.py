"""The Qt front end of r2pdesk: it calls the core (r2pdesk) and nothing calls it."""
