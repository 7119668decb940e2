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
  new MutationObserver(() => { unlabel(); keepQuestionInView(); }).observe(document.body,
    { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["aria-label"] });
}
