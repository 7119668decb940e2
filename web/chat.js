() => {
  // The chat's two fixes to Gradio's behaviour, run on every change to the page.

  // When a question is asked, scroll the chat so that the question sits at the top once its answer is in: the reader
  // sees the quoted answer first, not the end of its last source, which is where scrolling to the bottom leaves them.
  // The answer renders in steps, so keep trying on each change until the question could be brought to the top.
  let pinned = null;
  const scroller = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && e.scrollHeight > e.clientHeight) return e;
    }
    return null;
  };
  // Gradio labels each message with its raw content, here our HTML source; without the label, assistive technology
  // reads the rendered message instead of its markup.
  const unlabel = () => {
    for (const message of document.querySelectorAll("#qa-chat [aria-label*='s message: ']")) {
      message.removeAttribute("aria-label");
    }
  };
  const keepQuestionInView = () => {
    const questions = document.querySelectorAll("#qa-chat .message-row.user-row");
    const question = questions[questions.length - 1];
    if (!question || question === pinned) return;
    const box = scroller(question);
    if (!box) return;
    box.scrollTop += question.getBoundingClientRect().top - box.getBoundingClientRect().top;
    if (Math.abs(question.getBoundingClientRect().top - box.getBoundingClientRect().top) < 2) pinned = question;
  };
  // An answer's "Copy" buttons: the citation beside the button, or the answer's link, goes to the clipboard, and the
  // status line under them says so (screen readers read it out). Where the clipboard API is not offered (a page
  // served over plain HTTP from another host), the older copy command does it.
  const copyText = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      const box = document.createElement("textarea");
      box.value = text;
      box.setAttribute("readonly", "");
      box.style.position = "fixed";
      box.style.opacity = "0";
      document.body.appendChild(box);
      box.select();
      const done = document.execCommand("copy");
      box.remove();
      return done;
    }
  };
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("button.qa-copy");
    if (!button) return;
    const share = button.closest(".qa-share");
    const text = share ? share.querySelector("a.qa-permalink").href
                       : button.closest(".qa-cite-style").querySelector(".qa-cite-text").textContent;
    const status = button.closest(".qa-share, .qa-cite-styles").querySelector(".qa-copied");
    const what = button.textContent.replace(/^Copy /, "");
    const done = await copyText(text);
    if (status) status.textContent = done ? `Copied ${what}.` : "Could not copy: select the text and copy it.";
  });

  // "Download the conversation": the Markdown the server wrote beside the button, saved as a file.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button.qa-download");
    if (!button) return;
    const text = button.parentElement.querySelector(".qa-download-text").textContent;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
    link.download = button.dataset.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });

  new MutationObserver(() => { unlabel(); keepQuestionInView(); }).observe(document.body,
    { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["aria-label"] });
}
