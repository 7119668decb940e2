"""The app launcher the tests have always imported from here; it lives in the `apprun` package, shared with bench/."""
from apprun import PageSession, app_db, free_port, gradio_dir, running_app

__all__ = ["PageSession", "app_db", "free_port", "gradio_dir", "running_app"]
