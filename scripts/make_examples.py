#!/usr/bin/env python3
"""Build the bundled example inputs in examples/ from permissively licensed data.

Sources (see examples/README.md, which this script also writes):
  * ../shared/seed/seed-article.txt        the project's canonical example (copied byte for byte)
  * ../shared/data/meantime_en             NewsReader MEANTIME, English Wikinews (CC BY 4.0 / CC BY 2.5)
  * ../shared/data/fakenews_es/test.jsonl  Spanish Fake News Corpus v2 (CC BY 4.0), real news only

Everything is deterministic: fixed selection rules (sorted ids, first N that pass the filters),
no clocks, no randomness, gzip mtime 0. Running it twice gives byte-identical output.
Python 3 standard library only.

Usage (from the repository root):
    python3 scripts/make_examples.py --data ../shared/data --out examples
"""

import argparse
import base64
import gzip
import hashlib
import html
import io
import json
import math
import os
import re
import sys
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# How many items of each kind.
EN_TXT_PER_TOPIC = 4
N_HTML = 6
N_HTML_GZ = 2          # the last N_HTML_GZ of the HTML pages are written gzipped
N_ATOM = 4
N_WARC_EN = 2
N_ES_JSONL = 10
N_ES_RSS = 6
N_WARC_ES = 3
TOPICS = ["airbus", "apple", "gm", "stock"]

# Synthetic capture times for the WARC records (the corpora carry no crawl time).
WARC_BASE_TIME = (2021, 4, 1, 8, 0, 0)
UUID_NS = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # uuid.NAMESPACE_URL

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


# --------------------------------------------------------------------------- helpers

def gz(data):
    """Deterministic gzip: mtime 0, no file name, fixed level."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def esc(s):
    """Escape for an HTML attribute value."""
    return html.escape(s, quote=True)


def esc_text(s):
    """Escape for HTML element content."""
    return html.escape(s, quote=False)


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cdata(s):
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def human_date_en(iso):
    y, m, d = (int(x) for x in iso.split("-"))
    return "%s %d, %d" % (MONTHS[m - 1], d, y)


def wikinews_url(url):
    """Corpus url -> https URL percent-encoded the way MediaWiki does (wfUrlencode)."""
    url = html.unescape(url)
    prefix = "http://en.wikinews.org/wiki/"
    assert url.startswith(prefix), url
    title = url[len(prefix):]
    return "https://en.wikinews.org/wiki/" + urllib.parse.quote(title, safe=";@$!*(),/~:")


def warc_time(i):
    y, mo, d, h, mi, s = WARC_BASE_TIME
    mi += 7 * i
    h += mi // 60
    mi %= 60
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, mo, d, h, mi, s)


def http_date(w):
    # w = 'YYYY-MM-DDTHH:MM:SSZ' -> RFC 7231 IMF-fixdate
    y, mo, d = int(w[0:4]), int(w[5:7]), int(w[8:10])
    import datetime
    wd = WEEKDAYS[datetime.date(y, mo, d).weekday()]
    return "%s, %02d %s %04d %s GMT" % (wd, d, MONTHS[mo - 1][:3], y, w[11:19])


def sha1_b32(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def record_id(*parts):
    return "<urn:uuid:%s>" % uuid.uuid5(UUID_NS, "dateline-examples:" + ":".join(parts))


# --------------------------------------------------------------------------- MEANTIME

CLITICS = {"'s", "'S", "n't", "N'T", "'re", "'ve", "'ll", "'d", "'m", "'RE", "'VE", "'LL", "'D", "'M"}
CLITIC_TAILS = {"s", "t", "re", "ve", "ll", "d", "m"}
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "/"}
NO_SPACE_AFTER = {"(", "[", "{", "/"}
CURRENCY = {"$", "US$", "CA$", "AU$", "USD$", "NZ$", "HK$", "£", "€", "#"}


class QuoteState:
    def __init__(self):
        self.dq = False   # inside a double-quoted span
        self.sq = False   # inside a single-quoted span


def split_tokens(tokens):
    """Fix a few tokenisation glitches: "''I'" -> "''", "I'"."""
    out = []
    for t in tokens:
        if len(t) > 2 and t[:2] in ("''", "``"):
            out.append(t[:2])
            out.append(t[2:])
        else:
            out.append(t)
    return out


def is_numberish(t):
    return bool(t) and t[-1].isdigit()


def detok(tokens, state, before=""):
    """Tokens -> list of (text, space_before). Quote state carries across calls (sentences);
    `before` is the last token of the previous sentence. The first pair's space_before tells
    whether the sentence would be glued to the previous one (e.g. it starts with a closing quote)."""
    out = []
    glue = False
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i > 0 else before
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        sb = not glue
        glue = False
        t = tok
        if tok in ("``", "“"):
            state.dq = True
            t = '"' if tok == "``" else tok
            glue = True
        elif tok == "”":
            state.dq = False
            sb = False
        elif tok == "''":
            t = '"'
            if state.dq:
                state.dq = False
                sb = False
            elif is_numberish(prev):      # 13.3'' display: inch mark
                sb = False
            else:                          # unmatched: an opening quote written as ''
                state.dq = True
                glue = True
        elif tok == '"':
            if state.dq:
                state.dq = False
                sb = False
            else:
                state.dq = True
                glue = True
        elif tok in ("`", "‘"):
            state.sq = True
            t = "'" if tok == "`" else tok
            glue = True
        elif tok in ("'", "’"):
            if nxt in CLITIC_TAILS:        # we ' re, Wayne ’ s
                sb = False
                glue = True
            elif state.sq:
                state.sq = False
                sb = False
            elif prev[-1:] in ("s", "S"):  # Airbus ' (possessive)
                sb = False
            elif tok == "’":
                sb = False
            else:
                state.sq = True
                glue = True
        elif tok in CLITICS:
            sb = False
        elif tok in ("bn", "mn") and is_numberish(prev):   # 7.2 bn -> 7.2bn
            sb = False
        elif re.fullmatch(r"'[A-Za-z].*", tok):   # 'switch (opening quote glued to word)
            state.sq = True
        elif tok == "." and prev.endswith(".") and prev != "...":
            continue                       # "do. ." / "U.S. ." -> one full stop
        elif tok in CURRENCY:
            if tok == "#" and re.match(r"\d", nxt):
                t = "£"                    # the corpus lost the pound sign: "# 13 billion"
            if re.match(r"\d", nxt):
                glue = True
        if tok in NO_SPACE_BEFORE:
            sb = False
        if tok in NO_SPACE_AFTER:
            glue = True
        if re.fullmatch(r"[A-Za-z]'", tok):  # I' m, O' Leary
            glue = True
        out.append((t, sb))
    return out


def render(pairs):
    s = []
    for t, sb in pairs:
        if s and sb:
            s.append(" ")
        s.append(t)
    return "".join(s)


class MeantimeDoc:
    pass


def load_meantime(root):
    base = os.path.join(root, "meantime_en", "intra_cross-doc_annotation")
    docs = []
    skipped = []
    for topic in TOPICS:
        folder = os.path.join(base, "corpus_" + topic)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".xml"):
                continue
            path = os.path.join(folder, name)
            r = ET.parse(path).getroot()
            ct = [t.get("value") for t in r.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"]
            sents = {}
            for tok in r.findall("token"):
                sents.setdefault(int(tok.get("sentence")), []).append(tok.text or "")
            d = MeantimeDoc()
            d.id = int(r.get("doc_id"))
            d.topic = topic
            d.file = "corpus_%s/%s" % (topic, name)
            d.url = wikinews_url(r.get("url"))
            if len(ct) != 1 or not re.fullmatch(r"\d{4}-\d\d-\d\d", ct[0] or ""):
                skipped.append((d.file, "no CREATION_TIME" if not ct else
                                "CREATION_TIME %r is not ISO YYYY-MM-DD" % ct[0]))
                continue
            d.date = ct[0]
            order = sorted(sents)
            head_state = QuoteState()
            d.title = render(detok(split_tokens(sents[order[0]]), head_state))
            body_ids = order[1:]
            s1 = " ".join(sents[order[1]]) if len(order) > 1 else ""
            if re.fullmatch(r"[A-Z][a-z]+ \d{1,2} , \d{4}", s1):
                m = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2}) , (\d{4})", s1)
                mon = MONTHS.index(m.group(1)) + 1 if m.group(1) in MONTHS else 0
                if (int(m.group(3)), mon, int(m.group(2))) != tuple(int(x) for x in d.date.split("-")):
                    skipped.append((d.file, "dateline sentence %r disagrees with CREATION_TIME %s"
                                    % (s1.replace(" ,", ","), d.date)))
                    continue
                body_ids = order[2:]
            # Render the body as one token stream so quotes pair across sentences; a sentence that
            # starts with a token glued to the left (a closing quote) is appended to the previous one.
            state = QuoteState()
            sentences = []
            last = ""
            for sid in body_ids:
                toks = split_tokens(sents[sid])
                pairs = detok(toks, state, last)
                last = toks[-1] if toks else last
                text = render(pairs)
                if sentences and pairs and not pairs[0][1]:
                    sentences[-1] += text
                else:
                    sentences.append(text)
            d.sentences = [s for s in sentences if s.strip()]
            if len(d.sentences) < 3:
                skipped.append((d.file, "fewer than 3 body sentences"))
                continue
            d.paragraphs = paragraphs(d.sentences)
            docs.append(d)
    docs.sort(key=lambda d: (TOPICS.index(d.topic), d.id))
    return docs, skipped


def paragraphs(sentences, size=3):
    n = len(sentences)
    k = max(1, math.ceil(n / size))
    q, r = divmod(n, k)
    out, i = [], 0
    for j in range(k):
        m = q + (1 if j < r else 0)
        out.append(" ".join(sentences[i:i + m]))
        i += m
    return out


# --------------------------------------------------------------------------- Spanish corpus

def clean_link(link):
    link = (link or "").strip()
    if "#:~:" in link:                     # scroll-to-text fragment added by the browser
        link = link.split("#:~:")[0]
    return link


def load_fakenews(root):
    rows = []
    with open(os.path.join(root, "fakenews_es", "test.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    rows.sort(key=lambda r: int(r["ID"]))
    good = []
    for r in rows:
        if r.get("CATEGORY") is not True:      # true = real news; fake news is never used
            continue
        head = " ".join((r.get("HEADLINE") or "").split())
        text = (r.get("TEXT") or "").strip()
        link = clean_link(r.get("LINK"))
        source = " ".join((r.get("SOURCE") or "").split())
        if not head or not source or not re.fullmatch(r"https?://\S+", link):
            continue
        if not 600 <= len(text) <= 5000:
            continue
        # A preprocessing step of the corpus replaced several words ("noticias", "artículo",
        # "news" in URLs ...) by "Noticia"; such items read wrongly and are left out.
        if "Noticia" in head + text + link:
            continue
        good.append({
            "id": int(r["ID"]), "title": head, "text": text, "url": link, "source": source,
            "topic": (r.get("TOPICS") or "").strip(),
        })
    return good


def es_paragraphs(text):
    return [" ".join(p.split()) for p in re.split(r"\n+", text) if p.strip()]


def cp1252_ok(it):
    s = it["title"] + "\n" + it["text"]
    try:
        b = s.encode("cp1252")
    except UnicodeEncodeError:
        return False
    # Want bytes that differ between cp1252 and Latin-1 (curly quotes, dashes) and no control chars.
    return any(0x80 <= c <= 0x9F for c in b) and not re.search(r"[\x00-\x08\x0b-\x1f]", s)


def url_date(url):
    p = urllib.parse.urlsplit(url).path
    for pat in (r"/(20\d\d)-(\d\d)-(\d\d)/", r"/(20\d\d)/(\d\d)/(\d\d)/", r"/(20\d\d)(\d\d)(\d\d)/"):
        m = re.search(pat, p)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return "%04d-%02d-%02d" % (y, mo, d)
    return None


# --------------------------------------------------------------------------- HTML pages

L10N = {
    "en": {
        "site": "The Example Ledger",
        "nav": [("/", "Home"), ("/world", "World"), ("/business", "Business"), ("/technology", "Technology"),
                ("/markets", "Markets"), ("/autos", "Autos"), ("/opinion", "Opinion"), ("/video", "Video")],
        "cookie": "We use cookies to personalise content and ads and to analyse our traffic.",
        "cookie_more": "Learn more", "accept": "Accept all",
        "subscribe": "Subscribe", "signin": "Sign in", "search": "Search",
        "home": "Home", "by": "By", "share": "Share this article",
        "ad": "Advertisement", "readmore": "Read more:",
        "related": "Related", "mostread": "Most read",
        "newsletter": "Get the morning briefing in your inbox", "signup": "Sign up",
        "footer_links": [("/about", "About us"), ("/contact", "Contact"), ("/privacy", "Privacy policy"),
                         ("/terms", "Terms of use"), ("/advertise", "Advertise")],
        "rights": "© 2024 The Example Ledger (a fictional site). Page layout made for dateline's tests.",
        "follow": "Follow us:",
    },
    "es": {
        "site": "El Diario de Ejemplo",
        "nav": [("/", "Portada"), ("/nacional", "Nacional"), ("/internacional", "Internacional"),
                ("/economia", "Economía"), ("/salud", "Salud"), ("/sociedad", "Sociedad"),
                ("/opinion", "Opinión"), ("/deportes", "Deportes")],
        "cookie": "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
        "cookie_more": "Más información", "accept": "Aceptar",
        "subscribe": "Suscríbete", "signin": "Iniciar sesión", "search": "Buscar",
        "home": "Portada", "by": "Fuente:", "share": "Comparte esta noticia",
        "ad": "Publicidad", "readmore": "Lee también:",
        "related": "Relacionadas", "mostread": "Lo más leído",
        "newsletter": "Recibe el boletín de la mañana", "signup": "Suscribirme",
        "footer_links": [("/quienes-somos", "Quiénes somos"), ("/contacto", "Contacto"),
                         ("/privacidad", "Aviso de privacidad"), ("/terminos", "Términos y condiciones")],
        "rights": "© 2024 El Diario de Ejemplo (sitio ficticio). Maqueta creada para las pruebas de dateline.",
        "follow": "Síguenos:",
    },
}


def html_page(lang, title, paras, canonical, section, date=None, author=None, publisher=None,
              related=(), mostread=(), licence_html="", description=None):
    L = L10N[lang]
    site = L["site"]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "inLanguage": lang,
        "articleSection": section,
        "publisher": {"@type": "Organization", "name": site},
    }
    if date:
        ld["datePublished"] = date
        ld["dateModified"] = date
    if author:
        ld["author"] = {"@type": "Organization", "name": author}
    ld_json = json.dumps(ld, ensure_ascii=False, indent=2, sort_keys=True).replace("</", "<\\/")
    desc = description if description is not None else paras[0]
    if len(desc) > 160:
        desc = desc[:157].rsplit(" ", 1)[0] + "…"
    h = []
    a = h.append
    a("<!DOCTYPE html>")
    a('<html lang="%s">' % lang)
    a("<head>")
    a('<meta charset="utf-8">')
    a('<meta name="viewport" content="width=device-width, initial-scale=1">')
    a("<title>%s | %s</title>" % (esc_text(title), esc_text(site)))
    a('<meta name="description" content="%s">' % esc(desc))
    a('<link rel="canonical" href="%s">' % esc(canonical))
    a('<meta property="og:type" content="article">')
    a('<meta property="og:site_name" content="%s">' % esc(site))
    a('<meta property="og:title" content="%s">' % esc(title))
    a('<meta property="og:description" content="%s">' % esc(desc))
    a('<meta property="og:url" content="%s">' % esc(canonical))
    a('<meta property="og:locale" content="%s">' % ("en_US" if lang == "en" else "es_ES"))
    if date:
        a('<meta property="article:published_time" content="%s">' % date)
    a('<meta property="article:section" content="%s">' % esc(section))
    a('<meta name="twitter:card" content="summary_large_image">')
    a('<link rel="stylesheet" href="/static/css/main.3f2a9c.css">')
    a("<style>.cookie-banner{position:fixed;bottom:0}.ad-slot{min-height:250px}</style>")
    a('<script type="application/ld+json">')
    a(ld_json)
    a("</script>")
    a('<script async src="/static/js/analytics.js"></script>')
    a("</head>")
    a("<body>")
    a('<div class="cookie-banner" role="dialog" aria-label="cookies"><p>%s <a href="/cookies">%s</a></p>'
      '<button type="button">%s</button></div>' % (esc(L["cookie"]), esc(L["cookie_more"]), esc(L["accept"])))
    a('<header class="site-header">')
    a('<a class="logo" href="/">%s</a>' % esc(site))
    a('<form class="search" role="search" action="/search"><input type="search" name="q" placeholder="%s">'
      '<button>%s</button></form>' % (esc(L["search"]), esc(L["search"])))
    a('<div class="account"><a class="btn" href="/subscribe">%s</a> <a href="/login">%s</a></div>'
      % (esc(L["subscribe"]), esc(L["signin"])))
    a("</header>")
    a('<nav class="main-nav" aria-label="main">')
    a("<ul>")
    for href, label in L["nav"]:
        a('<li><a href="%s">%s</a></li>' % (href, esc(label)))
    a("</ul>")
    a("</nav>")
    a('<div class="breadcrumbs"><a href="/">%s</a> › <a href="/%s">%s</a></div>'
      % (esc(L["home"]), esc(section.lower().replace(" ", "-")), esc(section)))
    a('<main class="layout">')
    a('<article class="story">')
    a("<header>")
    a('<p class="kicker">%s</p>' % esc(section))
    a("<h1>%s</h1>" % esc_text(title))
    byline = []
    if author:
        byline.append('<span class="author">%s %s</span>' % (esc(L["by"]), esc_text(author)))
    if date:
        shown = human_date_en(date) if lang == "en" else date
        byline.append('<time datetime="%s">%s</time>' % (date, esc(shown)))
    if byline:
        a('<p class="byline">%s</p>' % " · ".join(byline))
    a('<div class="share share-top"><span>%s</span> <a href="https://www.facebook.com/sharer/sharer.php?u=%s">Facebook</a> '
      '<a href="https://twitter.com/intent/tweet?url=%s">X</a> <a href="mailto:?subject=%s">Email</a></div>'
      % (esc(L["share"]), esc(urllib.parse.quote(canonical, safe="")), esc(urllib.parse.quote(canonical, safe="")),
         esc(urllib.parse.quote(title, safe=""))))
    a("</header>")
    a('<div class="article-body">')
    for i, p in enumerate(paras):
        a("<p>%s</p>" % esc_text(p))
        if i == 1 and len(paras) > 3:
            a('<div class="ad-slot" aria-hidden="true"><span>%s</span></div>' % esc(L["ad"]))
        if i == 2 and len(paras) > 4 and related:
            a('<p class="read-more"><strong>%s</strong> <a href="%s">%s</a></p>'
              % (esc(L["readmore"]), esc(related[0][1]), esc_text(related[0][0])))
    a("</div>")
    a('<footer class="article-footer">')
    if licence_html:
        a('<p class="licence">%s</p>' % licence_html)
    a('<p class="tags">Tags: <a href="/tag/%s">%s</a></p>' % (esc(section.lower().replace(" ", "-")), esc(section)))
    a("</footer>")
    a("</article>")
    a('<aside class="sidebar">')
    if related:
        a('<section class="related"><h2>%s</h2><ul>' % esc(L["related"]))
        for t, u in related:
            a('<li><a href="%s">%s</a></li>' % (esc(u), esc_text(t)))
        a("</ul></section>")
    if mostread:
        a('<section class="most-read"><h2>%s</h2><ol>' % esc(L["mostread"]))
        for t, u in mostread:
            a('<li><a href="%s">%s</a></li>' % (esc(u), esc_text(t)))
        a("</ol></section>")
    a('<section class="newsletter"><h3>%s</h3><form action="/newsletter"><input type="email" name="email">'
      '<button>%s</button></form></section>' % (esc(L["newsletter"]), esc(L["signup"])))
    a("</aside>")
    a("</main>")
    a('<footer class="site-footer">')
    a('<nav class="footer-nav"><ul>')
    for href, label in L["footer_links"]:
        a('<li><a href="%s">%s</a></li>' % (href, esc(label)))
    a("</ul></nav>")
    a('<p class="social">%s <a href="https://www.facebook.com/">Facebook</a> <a href="https://x.com/">X</a> '
      '<a href="https://www.instagram.com/">Instagram</a> <a href="/rss">RSS</a></p>' % esc(L["follow"]))
    a('<p class="copyright">%s</p>' % esc_text(L["rights"]))
    a("</footer>")
    a("<script>window.dataLayer=window.dataLayer||[];dataLayer.push({event:'pageview',section:%s});</script>"
      % json.dumps(section, ensure_ascii=True))
    a("</body>")
    a("</html>")
    return ("\n".join(h) + "\n").encode("utf-8")


def wikinews_licence_html(d):
    return ('This article is from <a href="%s">Wikinews</a> (&quot;%s&quot;, %s) by Wikinews contributors, '
            'licensed under <a href="https://creativecommons.org/licenses/by/2.5/">CC BY 2.5</a>. '
            'Text rebuilt from the NewsReader MEANTIME corpus tokens '
            '(<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>).'
            % (esc(d.url), esc(d.title), d.date))


def es_licence_html(it):
    return ('Texto: %s (<a href="%s">original</a>), vía el Spanish Fake News Corpus '
            '(<a href="https://github.com/jpposadas/FakeNewsCorpusSpanish">FakeDeS 2021</a>), '
            'licencia <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.'
            % (esc(it["source"]), esc(it["url"])))


def en_page(d, docs):
    same = [x for x in docs if x.topic == d.topic and x.id != d.id]
    # deterministic: the next three of the same topic after this one (wrapping), then three others
    idx = sorted(same + [d], key=lambda x: x.id).index(d)
    ring = sorted(same, key=lambda x: x.id)
    related = [(x.title, x.url) for x in (ring[idx:] + ring[:idx])[:3]]
    others = [x for x in docs if x.topic != d.topic]
    others.sort(key=lambda x: (x.id * 7919) % 1009)
    mostread = [(x.title, x.url) for x in others[:3]]
    section = {"airbus": "Aviation", "apple": "Technology", "gm": "Autos", "stock": "Markets"}[d.topic]
    return html_page("en", d.title, d.paragraphs, d.url, section, date=d.date, author="Wikinews contributors",
                     related=related, mostread=mostread, licence_html=wikinews_licence_html(d))


def es_page(it, all_items):
    paras = es_paragraphs(it["text"])
    others = [x for x in all_items if x["id"] != it["id"]]
    related = [(x["title"], x["url"]) for x in others[:3]]
    mostread = [(x["title"], x["url"]) for x in others[3:6]]
    return html_page("es", it["title"], paras, it["url"], it["topic"] or "Noticias", date=None,
                     author=it["source"], related=related, mostread=mostread, licence_html=es_licence_html(it))


# --------------------------------------------------------------------------- feeds

def atom_feed(docs):
    updated = max(d.date for d in docs) + "T00:00:00Z"
    x = []
    a = x.append
    a('<?xml version="1.0" encoding="utf-8"?>')
    a('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">')
    a("  <title>Wikinews business stories (dateline example feed)</title>")
    a("  <subtitle>Articles from English Wikinews, rebuilt from the NewsReader MEANTIME corpus</subtitle>")
    a('  <link rel="alternate" type="text/html" href="https://en.wikinews.org/wiki/Main_Page"/>')
    a("  <id>%s</id>" % uuid.uuid5(UUID_NS, "dateline-examples:atom:wikinews-en").urn)
    a("  <updated>%s</updated>" % updated)
    a("  <author><name>Wikinews contributors</name><uri>https://en.wikinews.org/</uri></author>")
    a("  <rights>Text: Wikinews contributors, CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/); "
      "via NewsReader MEANTIME, CC BY 4.0. Rebuilt from tokens and reformatted as Atom.</rights>")
    a('  <generator uri="https://github.com/">dateline scripts/make_examples.py</generator>')
    for d in docs:
        ts = d.date + "T00:00:00Z"
        content = "".join("<p>%s</p>" % esc_text(p) for p in d.paragraphs)
        a("  <entry>")
        a("    <title>%s</title>" % xml_text(d.title))
        a("    <id>%s</id>" % xml_text(d.url))
        a('    <link rel="alternate" type="text/html" href="%s"/>' % esc(d.url))
        a("    <published>%s</published>" % ts)
        a("    <updated>%s</updated>" % ts)
        a('    <category term="%s"/>' % d.topic)
        a('    <content type="html">%s</content>' % xml_text(content))
        a("  </entry>")
    a("</feed>")
    return ("\n".join(x) + "\n").encode("utf-8")


def rss_feed(items):
    x = []
    a = x.append
    a('<?xml version="1.0" encoding="UTF-8"?>')
    a('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">')
    a("<channel>")
    a("  <title>Noticias de muestra: Spanish Fake News Corpus (solo noticias verdaderas)</title>")
    a("  <link>https://github.com/jpposadas/FakeNewsCorpusSpanish</link>")
    a("  <description>Noticias reales (CATEGORY true) del Spanish Fake News Corpus v2 (FakeDeS 2021), "
      "CC BY 4.0. El corpus no tiene fechas: los items no llevan pubDate.</description>")
    a("  <language>es</language>")
    a("  <copyright>Spanish Fake News Corpus, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); "
      "texto de cada medio citado; reformateado como RSS.</copyright>")
    a('  <atom:link href="https://example.org/dateline/examples/feeds/fakenews-es.rss" rel="self" '
      'type="application/rss+xml"/>')
    for i, it in enumerate(items):
        body = "".join("<p>%s</p>" % esc_text(p) for p in es_paragraphs(it["text"]))
        a("  <item>")
        a("    <title>%s</title>" % xml_text(it["title"]))
        a("    <link>%s</link>" % xml_text(it["url"]))
        a('    <guid isPermaLink="true">%s</guid>' % xml_text(it["url"]))
        a("    <category>%s</category>" % xml_text(it["topic"]))
        # even items: HTML inside CDATA; odd items: HTML entity-escaped. Both are common in the wild.
        if i % 2 == 0:
            a("    <description>%s</description>" % cdata(body))
        else:
            a("    <description>%s</description>" % xml_text(body))
        a("  </item>")
    a("</channel>")
    a("</rss>")
    return ("\n".join(x) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- WARC

def warc_record(headers, block):
    h = ["WARC/1.0"]
    for k, v in headers:
        h.append("%s: %s" % (k, v))
    h.append("Content-Length: %d" % len(block))
    head = ("\r\n".join(h) + "\r\n\r\n").encode("utf-8")
    return gz(head + block + b"\r\n\r\n")


def http_response(status, reason, body, date):
    head = ("HTTP/1.1 %d %s\r\n"
            "Date: %s\r\n"
            "Server: nginx\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            "Content-Length: %d\r\n"
            "Cache-Control: max-age=300\r\n"
            "Connection: close\r\n"
            "\r\n" % (status, reason, http_date(date), len(body))).encode("ascii")
    return head + body


def http_request(uri):
    p = urllib.parse.urlsplit(uri)
    path = p.path or "/"
    if p.query:
        path += "?" + p.query
    return ("GET %s HTTP/1.1\r\n"
            "User-Agent: CCBot/2.0 (https://commoncrawl.org/faq/)\r\n"
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            "Accept-Language: en-US,en;q=0.5\r\n"
            "Accept-Encoding: identity\r\n"
            "Host: %s\r\n"
            "Connection: Keep-Alive\r\n"
            "\r\n" % (path, p.netloc)).encode("ascii")


def warc_file(pages, filename):
    """pages: list of (uri, status, reason, html_bytes)."""
    out = []
    info_id = record_id("warcinfo", filename)
    info = ("software: dateline scripts/make_examples.py (layout follows Common Crawl CC-NEWS)\r\n"
            "format: WARC File Format 1.0\r\n"
            "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
            "isPartOf: CC-NEWS-SAMPLE\r\n"
            "publisher: dateline examples (not Common Crawl)\r\n"
            "description: Synthetic sample for tests. Capture times are made up. Page text from English "
            "Wikinews (CC BY 2.5) via NewsReader MEANTIME (CC BY 4.0) and from the Spanish Fake News "
            "Corpus (CC BY 4.0); page layout is synthetic.\r\n"
            "robots: checked via crawler-commons (not really; sample)\r\n").encode("utf-8")
    out.append(warc_record([
        ("WARC-Type", "warcinfo"),
        ("WARC-Date", warc_time(0)),
        ("WARC-Filename", filename),
        ("WARC-Record-ID", info_id),
        ("Content-Type", "application/warc-fields"),
    ], info))
    for i, (uri, status, reason, body) in enumerate(pages):
        t = warc_time(i + 1)
        req = http_request(uri)
        req_id = record_id("request", uri)
        resp_id = record_id("response", uri)
        out.append(warc_record([
            ("WARC-Type", "request"),
            ("WARC-Date", t),
            ("WARC-Record-ID", req_id),
            ("Content-Type", "application/http; msgtype=request"),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-IP-Address", "192.0.2.%d" % (10 + i)),
            ("WARC-Target-URI", uri),
        ], req))
        resp = http_response(status, reason, body, t)
        out.append(warc_record([
            ("WARC-Type", "response"),
            ("WARC-Date", t),
            ("WARC-Record-ID", resp_id),
            ("Content-Type", "application/http; msgtype=response"),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-Concurrent-To", req_id),
            ("WARC-IP-Address", "192.0.2.%d" % (10 + i)),
            ("WARC-Target-URI", uri),
            ("WARC-Payload-Digest", sha1_b32(body)),
            ("WARC-Block-Digest", sha1_b32(resp)),
            ("WARC-Identified-Payload-Type", "text/html"),
        ], resp))
    return b"".join(out)


NOT_FOUND = (b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
             b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


# --------------------------------------------------------------------------- validation

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def read_warc(data):
    """Split a .warc.gz into records, one gzip member each; check lengths and digests."""
    records = []
    rest = data
    while rest:
        d = zlib.decompressobj(wbits=31)
        rec = d.decompress(rest)
        rec += d.flush()
        if not d.eof:
            raise ValueError("truncated gzip member")
        rest = d.unused_data
        assert rec.startswith(b"WARC/1.0\r\n"), rec[:20]
        head, _, tail = rec.partition(b"\r\n\r\n")
        hdr = {}
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.decode("utf-8").partition(": ")
            hdr[k] = v
        n = int(hdr["Content-Length"])
        block = tail[:n]
        if len(block) != n or tail[n:] != b"\r\n\r\n":
            raise ValueError("Content-Length %d does not match the record block (%d bytes + trailer %r)"
                             % (n, len(tail), tail[n:][:8]))
        if "WARC-Block-Digest" in hdr and hdr["WARC-Block-Digest"] != sha1_b32(block):
            raise ValueError("block digest mismatch")
        records.append((hdr, block))
    return records


def validate(out, manifest):
    errors = []

    def check(cond, msg):
        if not cond:
            errors.append(msg)

    for rel in manifest:
        check(os.path.isfile(os.path.join(out, rel)), "missing " + rel)
    # dateline text files
    for rel in manifest:
        if rel.startswith("en/") and rel.endswith(".txt"):
            s = open(os.path.join(out, rel), encoding="utf-8").read()
            first, _, rest = s.partition("\n")
            check(re.fullmatch(r" date \d{4}-\d\d-\d\d \S.*", first) is not None, rel + ": bad first line")
            check(rest.startswith("\n") and rest.strip(), rel + ": no blank line/body")
    # cp1252 file
    for rel in manifest:
        if rel.startswith("es/cp1252-"):
            b = open(os.path.join(out, rel), "rb").read()
            s = b.decode("cp1252")
            try:
                b.decode("utf-8")
                check(False, rel + ": unexpectedly valid UTF-8")
            except UnicodeDecodeError:
                pass
            check(s.startswith(" date ") or "\n\n" in s, rel + ": layout")
    # JSONL
    p = os.path.join(out, "es", "fakenews-es.jsonl")
    n = 0
    for line in open(p, encoding="utf-8"):
        o = json.loads(line)
        n += 1
        for k in ("title", "text", "url", "source", "lang", "topic", "corpus_id"):
            check(k in o, "jsonl: missing " + k)
        check("date" not in o, "jsonl: unexpected date")
    check(n == N_ES_JSONL, "jsonl: %d lines" % n)
    # feeds
    rss = ET.parse(os.path.join(out, "feeds", "fakenews-es.rss")).getroot()
    items = rss.findall("./channel/item")
    check(len(items) == N_ES_RSS, "rss: %d items" % len(items))
    for it in items:
        desc = it.findtext("description") or ""
        check(desc.startswith("<p>") and desc.endswith("</p>"), "rss: description is not <p> HTML")
        check(it.find("pubDate") is None, "rss: unexpected pubDate")
        check((it.findtext("link") or "").startswith("http"), "rss: link")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    atom = ET.parse(os.path.join(out, "feeds", "wikinews-en.atom")).getroot()
    entries = atom.findall("a:entry", ns)
    check(len(entries) == N_ATOM, "atom: %d entries" % len(entries))
    for e in entries:
        c = e.find("a:content", ns)
        check(c is not None and c.get("type") == "html" and (c.text or "").startswith("<p>"), "atom: content")
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", e.findtext("a:published", "", ns) or "") is not None,
              "atom: published")
    # HTML pages
    for rel in manifest:
        if rel.startswith("html/"):
            b = open(os.path.join(out, rel), "rb").read()
            if rel.endswith(".gz"):
                check(b[4:8] == b"\0\0\0\0", rel + ": gzip mtime not 0")
                b = gzip.decompress(b)
            tp = _Tags()
            tp.feed(b.decode("utf-8"))
            names = [t for t, _ in tp.tags]
            for tag in ("nav", "article", "h1", "p", "aside", "footer", "title"):
                check(tag in names, rel + ": no <%s>" % tag)
            metas = {a.get("property") for t, a in tp.tags if t == "meta"}
            check({"og:title", "article:published_time"} <= metas, rel + ": meta")
            check(any(t == "link" and a.get("rel") == "canonical" for t, a in tp.tags), rel + ": canonical")
    # WARC
    recs = read_warc(open(os.path.join(out, "warc", "cc-news-sample.warc.gz"), "rb").read())
    check(recs[0][0].get("WARC-Type") == "warcinfo", "warc: first record is not warcinfo")
    ok200 = 0
    not_found = 0
    for hdr, block in recs:
        check(re.fullmatch(r"<urn:uuid:[0-9a-f-]{36}>", hdr.get("WARC-Record-ID", "")) is not None, "warc: id")
        if hdr.get("WARC-Type") == "response":
            check(hdr.get("Content-Type") == "application/http; msgtype=response", "warc: content type")
            head, _, body = block.partition(b"\r\n\r\n")
            lines = head.decode("ascii").split("\r\n")
            status = int(lines[0].split()[1])
            hh = dict(l.split(": ", 1) for l in lines[1:])
            check(int(hh["Content-Length"]) == len(body), "warc: HTTP Content-Length")
            check(hh["Content-Type"] == "text/html; charset=utf-8", "warc: HTTP content type")
            check(hdr.get("WARC-Payload-Digest") == sha1_b32(body), "warc: payload digest")
            if status == 200:
                ok200 += 1
                check(b"<article" in body, "warc: page without article")
            elif status == 404:
                not_found += 1
    check(ok200 == N_WARC_EN + N_WARC_ES and not_found == 1, "warc: %d 200s, %d 404s" % (ok200, not_found))
    ids = [h["WARC-Record-ID"] for h, _ in recs]
    check(len(set(ids)) == len(ids), "warc: duplicate record ids")
    total = sum(os.path.getsize(os.path.join(out, r)) for r in manifest)
    check(total < 1_500_000, "total size %d >= 1.5 MB" % total)
    return errors, total


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"),
                    help="the shared data folder (default: ../shared/data next to the repository)")
    ap.add_argument("--seed", default=None,
                    help="seed article (default: <data>/../seed/seed-article.txt)")
    ap.add_argument("--out", default=os.path.join(REPO, "examples"), help="output folder (default: examples)")
    args = ap.parse_args()
    data = args.data
    out = args.out
    seed = args.seed or os.path.join(data, "..", "seed", "seed-article.txt")

    files = {}   # relative path -> bytes

    # 1. seed
    files["seed-article.txt"] = open(seed, "rb").read()

    # 2. MEANTIME / Wikinews
    docs, skipped = load_meantime(data)
    by_topic = {t: [d for d in docs if d.topic == t] for t in TOPICS}
    en_txt = []
    for t in TOPICS:
        en_txt += by_topic[t][:EN_TXT_PER_TOPIC]
    # the rest, round-robin over topics, in id order within a topic
    rest_lists = [by_topic[t][EN_TXT_PER_TOPIC:] for t in TOPICS]
    pool = []
    for k in range(max(len(x) for x in rest_lists)):
        for lst in rest_lists:
            if k < len(lst):
                pool.append(lst[k])
    en_html = pool[:N_HTML]
    en_atom = pool[N_HTML:N_HTML + N_ATOM]
    en_warc = pool[N_HTML + N_ATOM:N_HTML + N_ATOM + N_WARC_EN]

    for d in en_txt:
        body = "\n\n".join(d.paragraphs)
        files["en/wikinews-%d.txt" % d.id] = (" date %s %s\n\n%s\n" % (d.date, d.title, body)).encode("utf-8")
    for i, d in enumerate(en_html):
        page = en_page(d, docs)
        if i >= N_HTML - N_HTML_GZ:
            files["html/wikinews-%d.html.gz" % d.id] = gz(page)
        else:
            files["html/wikinews-%d.html" % d.id] = page
    files["feeds/wikinews-en.atom"] = atom_feed(en_atom)

    # 3. Spanish Fake News Corpus, real news only
    es = load_fakenews(data)
    es_jsonl = es[:N_ES_JSONL]
    es_rss = es[N_ES_JSONL:N_ES_JSONL + N_ES_RSS]
    es_warc = es[N_ES_JSONL + N_ES_RSS:N_ES_JSONL + N_ES_RSS + N_WARC_ES]
    used = {it["id"] for it in es_jsonl + es_rss + es_warc}
    cp = [it for it in es if it["id"] not in used and cp1252_ok(it) and url_date(it["url"])][0]

    lines = []
    for it in es_jsonl:
        o = {"title": it["title"], "text": it["text"], "url": it["url"], "source": it["source"],
             "lang": "es", "topic": it["topic"], "corpus_id": it["id"]}
        lines.append(json.dumps(o, ensure_ascii=False))
    files["es/fakenews-es.jsonl"] = ("\n".join(lines) + "\n").encode("utf-8")
    files["feeds/fakenews-es.rss"] = rss_feed(es_rss)
    cp_date = url_date(cp["url"])
    cp_text = " date %s %s\r\n\r\n%s\r\n" % (cp_date, cp["title"],
                                            "\r\n\r\n".join(es_paragraphs(cp["text"])))
    files["es/cp1252-%d.txt" % cp["id"]] = cp_text.encode("cp1252")

    pages = []
    for d in en_warc:
        pages.append((d.url, 200, "OK", en_page(d, docs)))
    for it in es_warc:
        pages.append((it["url"].split("#")[0], 200, "OK", es_page(it, es)))
    pages.insert(3, ("https://en.wikinews.org/wiki/Example_page_that_does_not_exist", 404, "Not Found",
                     NOT_FOUND))
    files["warc/cc-news-sample.warc.gz"] = warc_file(pages, "cc-news-sample.warc.gz")

    # 4. README
    files["README.md"] = readme(files, en_txt, en_html, en_atom, en_warc, es_jsonl, es_rss, es_warc, cp,
                                cp_date, skipped).encode("utf-8")

    # write, then prune stale generated files in the sub-folders this script owns
    for rel, b in sorted(files.items()):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b)
    for sub in ("en", "es", "html", "feeds", "warc"):
        folder = os.path.join(out, sub)
        for name in sorted(os.listdir(folder)):
            if "%s/%s" % (sub, name) not in files:
                os.remove(os.path.join(folder, name))

    errors, total = validate(out, sorted(files))
    for rel in sorted(files):
        print("%8d  %s" % (len(files[rel]), rel))
    print("%8d  total (%d files)" % (total, len(files)))
    for f, why in skipped:
        print("skipped MEANTIME %s: %s" % (f, why), file=sys.stderr)
    if errors:
        for e in errors:
            print("ERROR: " + e, file=sys.stderr)
        sys.exit(1)
    print("validation: OK")


def readme(files, en_txt, en_html, en_atom, en_warc, es_jsonl, es_rss, es_warc, cp, cp_date, skipped):
    def size(rel):
        return len(files[rel])

    def wn_line(d):
        return "- `%s` %s (%s), <%s>" % (d.id, d.title.replace("`", "'"), d.date, d.url)

    def es_line(it):
        return "- `%d` %s — %s, <%s>" % (it["id"], it["title"].replace("`", "'"), it["source"], it["url"])

    html_files = sorted(r for r in files if r.startswith("html/"))
    en_files = sorted((r for r in files if r.startswith("en/")), key=lambda r: int(re.search(r"\d+", r).group()))
    R = []
    a = R.append
    a("# Example inputs")
    a("")
    a("Small inputs in every format `dateline` reads, for demos, tests and benchmarks. All of it is generated by")
    a("`scripts/make_examples.py` (Python 3 standard library only) from data the project may ship; do not edit")
    a("these files by hand. To regenerate (from the repository root):")
    a("")
    a("    python3 scripts/make_examples.py --data ../shared/data --out examples")
    a("")
    a("The script is deterministic (fixed selection rules, no clock, gzip mtime 0): running it twice gives")
    a("byte-identical files (the .gz files are identical given the same zlib build; another zlib may compress")
    a("differently while the decompressed bytes stay identical). It validates what it wrote (XML feeds parse, every WARC record's Content-Length")
    a("and digests, every JSONL line, HTML structure) and exits non-zero on a problem.")
    a("")
    a("## Files")
    a("")
    a("| file | bytes | what it is |")
    a("|---|---:|---|")
    a("| `seed-article.txt` | %d | the project's canonical example, byte-exact copy of `../shared/seed/seed-article.txt` "
      "(see `../shared/DESIGN.md`); dateline text, Spanish |" % size("seed-article.txt"))
    for r in en_files:
        a("| `%s` | %d | dateline text (` date YYYY-MM-DD Headline`, blank line, body), English Wikinews |" % (r, size(r)))
    for r in html_files:
        kind = "gzip-compressed HTML page" if r.endswith(".gz") else "HTML page"
        a("| `%s` | %d | %s: a Wikinews article inside a synthetic news-site layout (nav, cookie banner, share "
          "links, ad slot, \"Read more\" line, related/most-read sidebar, footer) for the boilerplate remover |"
          % (r, size(r), kind))
    a("| `feeds/wikinews-en.atom` | %d | Atom 1.0 feed, %d English Wikinews articles, `published` = article date, "
      "`content type=\"html\"` |" % (size("feeds/wikinews-en.atom"), len(en_atom)))
    a("| `feeds/fakenews-es.rss` | %d | RSS 2.0 feed, %d Spanish real-news items; `description` holds `<p>` HTML, "
      "inside CDATA in items 1, 3, 5 and entity-escaped in items 2, 4, 6; **no `pubDate`** |"
      % (size("feeds/fakenews-es.rss"), len(es_rss)))
    a("| `es/fakenews-es.jsonl` | %d | JSON Lines, %d Spanish real-news items: "
      "`title, text, url, source, lang, topic, corpus_id`; **no `date` field** |"
      % (size("es/fakenews-es.jsonl"), len(es_jsonl)))
    cpf = "es/cp1252-%d.txt" % cp["id"]
    a("| `%s` | %d | dateline text encoded in **Windows-1252** (not UTF-8), CRLF line ends, Spanish; "
      "see the note on its date below |" % (cpf, size(cpf)))
    a("| `warc/cc-news-sample.warc.gz` | %d | WARC/1.0 in the Common Crawl CC-NEWS layout, see below |"
      % size("warc/cc-news-sample.warc.gz"))
    a("")
    a("### The WARC file")
    a("")
    a("One gzip member per record. First a `warcinfo` record, then for each page a `request` record and a")
    a("`response` record (`Content-Type: application/http; msgtype=response`, `WARC-Target-URI`, `WARC-Date`,")
    a("`WARC-Record-ID` as a deterministic `urn:uuid` (UUIDv5 of the URI), `WARC-Concurrent-To`,")
    a("`WARC-Payload-Digest`/`WARC-Block-Digest` as base32 SHA-1, exact `Content-Length`). Each response holds")
    a("`HTTP/1.1` headers (`Content-Type: text/html; charset=utf-8`, exact `Content-Length`) and an HTML page.")
    a("Pages, in order:")
    a("")
    order = [("200", "en", d.url, d.title) for d in en_warc]
    order += [("200", "es", it["url"].split("#")[0], it["title"]) for it in es_warc]
    order.insert(3, ("404", "en", "https://en.wikinews.org/wiki/Example_page_that_does_not_exist",
                     "a made-up missing page; a reader must skip it (HTTP 404)"))
    for i, (st, lang, u, t) in enumerate(order, 1):
        a("%d. HTTP %s, %s: <%s> — %s" % (i, st, lang, u, t))
    a("")
    a("The `WARC-Date` capture times (2021-04-01, a few minutes apart), the IP addresses (192.0.2.0/24, a")
    a("documentation range), the server headers and the page layouts are **made up**. The Spanish pages carry")
    a("no publication date (the corpus has none); the English pages carry the Wikinews article date in")
    a("`article:published_time`, JSON-LD `datePublished` and `<time>`. The Spanish pages use a fictional")
    a("site name (\"El Diario de Ejemplo\") and name the original outlet in the byline; they are not copies of")
    a("the outlets' real pages.")
    a("")
    a("## Sources, licences and attribution")
    a("")
    a("### English: Wikinews via NewsReader MEANTIME")
    a("")
    a("- Text: English Wikinews, by **Wikinews contributors**, licensed under")
    a("  [CC BY 2.5](https://creativecommons.org/licenses/by/2.5/). Each article's original page is listed below.")
    a("- Corpus: NewsReader MEANTIME corpus, English section, © 2015 Fondazione Bruno Kessler, VU University")
    a("  Amsterdam, Universidad del País Vasco, licensed under")
    a("  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)")
    a("  (<http://www.newsreader-project.eu/results/data/wikinews/>; copy used: `qiangning/StructTempRel-EMNLP17`,")
    a("  see `../shared/data/meantime_en/SOURCE.md`).")
    a("- **Changes made**: the text was rebuilt from the corpus tokens (detokenised: no space before `, . ; : ! ? ) %`")
    a("  or clitics such as `'s` and `n't`, none after `(` or currency signs; the corpus's PTB-style quotes (two")
    a("  backquotes / two apostrophes) and `\"` paired into straight double quotes, a single backquote written as an")
    a("  apostrophe; `I' m` → `I'm`; a doubled full stop after `do.`/`U.S.` removed; and the corpus's `#`")
    a("  for a lost pound sign restored as `£`); the dateline sentence (\"March 01, 2008\") was dropped from the")
    a("  body and the date put in the first line; **the corpus has no paragraph marks**, so body sentences were")
    a("  grouped into paragraphs of about three sentences, which are not the original paragraphs; the text was")
    a("  reformatted as dateline text, HTML pages, an Atom feed and WARC records. URLs were changed to https and")
    a("  percent-encoded the way MediaWiki does. The page layouts around the text are synthetic.")
    a("")
    a("Articles used (MEANTIME doc id, headline, date, original URL):")
    a("")
    a("- dateline text (`en/`):")
    for d in en_txt:
        a("  " + wn_line(d))
    a("- HTML pages (`html/`):")
    for d in en_html:
        a("  " + wn_line(d))
    a("- Atom feed (`feeds/wikinews-en.atom`):")
    for d in en_atom:
        a("  " + wn_line(d))
    a("- WARC (`warc/cc-news-sample.warc.gz`):")
    for d in en_warc:
        a("  " + wn_line(d))
    a("")
    a("Selection: in each topic folder (airbus, apple, gm, stock) documents in doc-id order; the first %d of"
      % EN_TXT_PER_TOPIC)
    a("each become dateline text; the rest, taken round-robin over the topics, give the HTML pages, then the Atom")
    a("entries, then the WARC pages. Documents are skipped when their creation date is missing or not ISO, or")
    a("disagrees with their dateline sentence, or when they have fewer than three body sentences:")
    a("")
    for f, why in skipped:
        a("- `%s`: %s" % (f, why))
    a("")
    a("### Spanish: Spanish Fake News Corpus")
    a("")
    a("- Corpus: *The Spanish Fake News Corpus* v2.0 (FakeDeS @ IberLEF 2021, test set), by Helena Gómez-Adorno,")
    a("  Juan Pablo Posadas-Durán, Gemma Bel Enguix and Claudia Porto Capetillo,")
    a("  <https://github.com/jpposadas/FakeNewsCorpusSpanish>, licensed under")
    a("  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). Cite: Gómez-Adorno et al. (2021), *Overview of")
    a("  FakeDeS at IberLEF 2021: Fake News Detection in Spanish Shared Task*, Procesamiento del Lenguaje Natural 67,")
    a("  223-231.")
    a("- Each text was originally published by the outlet named in its `source` field, at the URL given.")
    a("  Outlet names are kept as the corpus spells them (e.g. `sputnkinews` for Sputnik News, `La Republica`).")
    a("- **Only items labelled real news (`CATEGORY` true) are used; none of the fake items.** Further filters:")
    a("  non-empty headline, source and http(s) link, 600-5000 characters of text, and no occurrence of")
    a("  `Noticia` (a corpus preprocessing step replaced several words, e.g. \"noticias\" and \"artículo\", and parts")
    a("  of URLs, by \"Noticia\"). Items are taken in corpus-id order: the first %d go to the JSONL file, the next %d"
      % (N_ES_JSONL, N_ES_RSS))
    a("  to the RSS feed, the next %d to the WARC file." % N_WARC_ES)
    a("- **Dates: the corpus has no publication dates.** The JSONL lines have no `date` field, the RSS items no")
    a("  `pubDate`, the WARC pages no published time. Only `%s` has a date, see below." % cpf)
    a("- **Changes made**: headlines whitespace-normalised; browser `#:~:text=` fragments removed from links;")
    a("  text split into paragraphs at its line breaks for the RSS/HTML forms; reformatted as JSONL, RSS, HTML,")
    a("  WARC and Windows-1252 text. The JSONL `text` is the corpus text unchanged (outer white space trimmed).")
    a("")
    a("Items used (corpus id, headline, outlet, URL):")
    a("")
    a("- JSONL (`es/fakenews-es.jsonl`):")
    for it in es_jsonl:
        a("  " + es_line(it))
    a("- RSS (`feeds/fakenews-es.rss`):")
    for it in es_rss:
        a("  " + es_line(it))
    a("- WARC (`warc/cc-news-sample.warc.gz`):")
    for it in es_warc:
        a("  " + es_line(it))
    a("- Windows-1252 dateline text (`%s`):" % cpf)
    a("  " + es_line(cp))
    a("")
    a("`%s` is the first unused real-news item (in id order) whose text fits in Windows-1252, uses bytes" % cpf)
    a("that differ from Latin-1 (curly quotes or dashes, 0x80-0x9F), and whose URL path holds a date. Its first")
    a("line ` date %s ...` is **not from the corpus**: the date was read from the article's URL path (%s) and" % (cp_date, "`" + urllib.parse.urlsplit(cp["url"]).path + "`"))
    a("was not checked against the published page. Treat it as the likely publication date, nothing more.")
    a("")
    a("### Licence notices")
    a("")
    a("CC BY 4.0: <https://creativecommons.org/licenses/by/4.0/> (full text in")
    a("`../shared/data/meantime_en/LICENSE.txt` and `../shared/data/fakenews_es/LICENSE.txt`). CC BY 2.5:")
    a("<https://creativecommons.org/licenses/by/2.5/>. The licensed material is provided as-is, without warranties")
    a("of any kind (see section 5 of CC BY 4.0). Anyone copying these files must keep the attributions above")
    a("(authors, source links, licence links, the note on changes made).")
    a("")
    return "\n".join(R)


if __name__ == "__main__":
    main()
