"""Run the web app as users start it (`python app.py --port N`) in a child process, and talk to it as a browser tab
does: one launcher for the tests and the benchmarks."""
from .page import PageSession
from .process import (AppDidNotStart, AppProcess, app_db, app_process, first_answer, free_port, gradio_dir,
                      refused_start, running_app)

__all__ = ["AppDidNotStart", "AppProcess", "PageSession", "app_db", "app_process", "first_answer", "free_port",
           "gradio_dir", "refused_start", "running_app"]
