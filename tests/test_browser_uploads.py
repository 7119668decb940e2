"""A large upload on the staff page, in a real browser: its progress shows live (pages read, passages embedded, time
left) while the public chat, in another tab, keeps answering; then the report is in the index."""
from __future__ import annotations

import pytest

from pdfs import write_pdf
from staff_site import choose_file, staff_site
from test_browser import Site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "staff-secret-for-the-upload-test-71c4"
PAGES = 300  # long enough that a question is answered while it is read, on a quiet and fast machine too
TEXT = ("Section {page} of the harbour survey counts {boats} fishing boats in the northern harbour, and it finds that"
        " the harbour authority repaired {piers} of its piers during the year under review.")


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    with staff_site(seed_index, tmp_path_factory.mktemp("staff-uploads"), PASSWORD) as (url, index, corpus):
        yield url, corpus


def test_an_upload_shows_progress_while_the_public_chat_answers(browser, site, tmp_path):
    url, corpus = site
    report = write_pdf(tmp_path / "harbour-survey.pdf",
                       [[TEXT.format(page=p, boats=p * 11, piers=p % 7 + 1)] * 3 for p in range(1, PAGES + 1)],
                       title="The Harbour Survey")
    context = browser.new_context()
    staff = context.new_page()
    staff.goto(f"{url}staff")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_text("Add and remove the reports the public chat answers from.").wait_for(timeout=60_000)
    choose_file(staff, report, corpus.parent / "app.log")
    # A reader's tab, open before the upload starts: on a fast machine the whole upload takes a few seconds, less than
    # loading the chat page and asking would.
    public = Site(browser, url)
    staff.get_by_role("button", name="Add", exact=True).click()

    # Live progress: the job's bar and time left, and the file's row with its pages read or passages embedded.
    job = staff.locator("#qa-staff-job")
    job.get_by_text("Adding:").wait_for(timeout=120_000)
    assert job.locator("progress").count() == 1 and "time left" in job.inner_text()
    results = staff.get_by_role("grid", name="Results")
    # "reading" shows before the first page count does: wait for the count (or embedding), which is checked next
    staff.wait_for_function(f"() => /\\/{PAGES}|embedding/.test(document.body.innerText)", timeout=120_000)
    progress_seen = results.inner_text()
    assert "harbour-survey.pdf" in progress_seen and (f"/{PAGES}" in progress_seen or "embedding" in progress_seen)

    # Meanwhile the public chat answers, from the index as it was.
    answer = public.ask("Who prepared the report?")
    assert answer.inner_text().strip()
    assert "Adding:" in job.inner_text(), "the upload ended before the public question was answered"
    public.close()

    results.get_by_test_id("cell-0-1").get_by_text("added").wait_for(timeout=600_000)
    job.get_by_text("The upload was added.").wait_for(timeout=30_000)
    context.close()
    assert (corpus / "harbour-survey.pdf").is_file()
