// Hover: every chart element with a data-tip shows it beside the pointer.
(function () {
  var tip = document.getElementById("tip");
  function hide() { tip.hidden = true; }
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    svg.addEventListener("mousemove", function (e) {
      var el = e.target.closest ? e.target.closest("[data-tip]") : null;
      if (!el) { hide(); return; }
      tip.textContent = el.getAttribute("data-tip");
      tip.hidden = false;
      var x = e.pageX + 14, max = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
      tip.style.left = Math.min(x, max) + "px";
      tip.style.top = (e.pageY + 14) + "px";
    });
    svg.addEventListener("mouseleave", hide);
  });
})();
