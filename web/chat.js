() => {
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
  const follow = () => {
    const questions = document.querySelectorAll("#qa-chat .message-row.user-row");
    const question = questions[questions.length - 1];
    if (!question || question === pinned) return;
    const box = scroller(question);
    if (!box) return;
    box.scrollTop += question.getBoundingClientRect().top - box.getBoundingClientRect().top;
    if (Math.abs(question.getBoundingClientRect().top - box.getBoundingClientRect().top) < 2) pinned = question;
  };
  new MutationObserver(follow).observe(document.body, { childList: true, subtree: true, characterData: true });
}
