/*
 * The sharing kit of a verification page, built in the browser so that
 * every page need not carry it: LinkedIn's form fields to copy, post links
 * (LinkedIn, X, Facebook) and the email signature, website and README
 * snippets, each with a copy button (static/copy.js).
 *
 * Reads the per-award values from <script type="application/json"
 * id="share-data"> (written by accolade, see src/render/share.rs:
 * `f` the values of LinkedIn's fields, `u` the verification URL, `a` the
 * image's alt text, `p` the post text, `b` the start of the artwork's
 * sized PNGs, `i` the website snippet's image if not the 220 px one) and
 * the labels, which are the same on every page of a language, from
 * static/strings/<lang>.json beside this script (<lang> is the page's
 * <html lang>). It puts them together into #share-kit exactly as share.rs
 * does; a browser test compares the two. Text goes in as text (no
 * innerHTML), and no inline handlers: pages keep Content-Security-Policy:
 * script-src 'self' (and default-src 'self' allows the same-origin fetch).
 */
(function () {
  "use strict";

  var box = document.getElementById("share-kit");
  var source = document.getElementById("share-data");
  if (!box || !source) return;
  var d = JSON.parse(source.textContent);
  var strings = document.currentScript.src.replace(/[^\/]*$/, "strings/" + document.documentElement.lang + ".json");
  // The order of `f`, as share.rs LINKEDIN_FIELDS; the URL field follows.
  var FIELDS = ["name", "organization", "issued", "expires", "id"];
  var t;

  // As share.rs: `html_attr`, `md_text` and `encode` (RFC 3986 unreserved
  // characters stay; encodeURIComponent also leaves !'()* alone).
  function attr(s) {
    return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function md(s) {
    return s.replace(/[\\\[\]]/g, function (c) { return "\\" + c; });
  }
  function enc(s) {
    return encodeURIComponent(s).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  function copyButton(id) {
    return el("button", { type: "button", "class": "copy", "data-copy-target": id, "data-copied": t.share_copied }, [t.share_copy]);
  }

  function build() {
    var rows = [];
    d.f.forEach(function (v, i) {
      if (v !== null) rows.push([t["linkedin_field_" + FIELDS[i]], v]);
    });
    rows.push([t.linkedin_field_url, d.u]);
    var fields = el("dl", { "class": "copy-fields" });
    rows.forEach(function (f, i) {
      var id = "li-field-" + (i + 1);
      fields.appendChild(el("div", { "class": "copy-field" }, [
        el("dt", {}, [f[0]]),
        el("dd", {}, [el("code", { id: id }, [f[1]]), " ", copyButton(id)])
      ]));
    });

    var u = enc(d.u);
    var posts = [
      ["LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=" + u],
      ["X", "https://twitter.com/intent/tweet?text=" + enc(d.p) + "&url=" + u],
      ["Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + u]
    ].map(function (p) {
      return el("a", { "class": "button button--secondary", href: p[1], rel: "noopener", target: "_blank" }, [p[0]]);
    });

    var url = attr(d.u), alt = attr(d.a);
    var png110 = d.b + "110.png", png220 = d.b + "220.png";
    var snippets = [
      ["email", t.share_snippet_email, 3, "<a href=\"" + url + "\"><img src=\"" + attr(png110) + "\" srcset=\"" + attr(png220) +
        " 2x\" width=\"110\" height=\"110\" alt=\"" + alt + "\" style=\"border:0;display:inline-block\"></a>"],
      ["html", t.share_snippet_html, 3, "<a href=\"" + url + "\" title=\"" + alt + "\"><img src=\"" + attr(d.i || png220) +
        "\" width=\"220\" height=\"220\" alt=\"" + alt + "\"></a>"],
      ["markdown", t.share_snippet_markdown, 2, "[![" + md(d.a) + "](" + png220 + ")](" + d.u + ")"]
    ].map(function (s) {
      var id = "snippet-" + s[0];
      return el("div", { "class": "snippet" }, [
        el("label", { "for": id }, [s[1]]),
        el("textarea", { id: id, "class": "snippet__code", readonly: "", rows: String(s[2]) }, [s[3]]),
        copyButton(id)
      ]);
    });

    [
      el("p", { "class": "share__hint" }, [t.share_linkedin_hint]),
      fields,
      el("h3", {}, [t.share_post_heading]),
      el("p", { "class": "share__buttons" }, posts),
      el("h3", {}, [t.share_snippets_heading])
    ].concat(snippets).forEach(function (e) { box.appendChild(e); });
  }

  fetch(strings, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) throw new Error(strings + ": HTTP " + r.status);
    return r.json();
  }).then(function (json) {
    t = json;
    build();
  });
})();
