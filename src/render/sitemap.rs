//! The sitemap: every indexable page in every language with its
//! alternates, split into indexed parts past `SITEMAP_URLS`.

use super::*;
use crate::text::xml_escape;

impl Renderer<'_> {
    /// Every indexable page of the plan, in every language, with its
    /// alternates in the other languages: in `sitemap.xml`, or in `parts`
    /// files that it indexes.
    pub(super) fn sitemaps(&self, parts: usize) -> Vec<File> {
        use rayon::prelude::*;
        let site = self.site;
        let prefixes: Vec<String> = site.languages.iter().map(|l| site.lang_prefix(l)).collect();
        let pages: Vec<String> = sitemap_pages(site, &self.plan).collect();
        // A million awards list hundreds of thousands of pages: their
        // entries are made in parallel (in order).
        let entries: Vec<String> = pages
            .par_iter()
            .flat_map_iter(|path| {
                let urls: Vec<String> = prefixes
                    .iter()
                    .map(|p| xml_escape(&site.url(&paths::in_lang(p, path))))
                    .collect();
                (0..urls.len()).map(move |i| url_entry(&urls, i, &site.languages))
            })
            .collect();
        sitemap_files(&entries, parts, SITEMAP_URLS, &|p| site.url(p))
    }
}

/// The `<url>` element of a page in the language `lang`, with its
/// alternates: `urls` are the page's escaped URLs in `languages`.
fn url_entry(urls: &[String], lang: usize, languages: &[String]) -> String {
    let mut xml = format!("<url><loc>{}</loc>", urls[lang]);
    for (other, href) in languages.iter().zip(urls) {
        xml.push_str(&format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"{other}\" href=\"{href}\"/>"
        ));
    }
    xml.push_str("</url>\n");
    xml
}

/// The sitemap files of `entries` (`<url>` elements), `per_file` to a
/// part; `url` makes a path absolute.
fn sitemap_files(
    entries: &[String],
    parts: usize,
    per_file: usize,
    url: &dyn Fn(&str) -> String,
) -> Vec<File> {
    let urlset = |entries: &[String]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        entries.iter().for_each(|e| xml.push_str(e));
        xml.push_str("</urlset>\n");
        xml.into_bytes()
    };
    let names = paths::sitemaps(parts);
    if parts == 1 {
        return vec![File {
            path: names[0].clone(),
            bytes: urlset(entries),
        }];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for name in &names[1..] {
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&url(name))
        ));
    }
    index.push_str("</sitemapindex>\n");
    let mut files = vec![File {
        path: names[0].clone(),
        bytes: index.into_bytes(),
    }];
    // The plan counted the entries: every part but the last is full.
    let chunks = entries.chunks(per_file).chain(std::iter::repeat(&[][..]));
    for (name, chunk) in names[1..].iter().zip(chunks) {
        files.push(File {
            path: name.clone(),
            bytes: urlset(chunk),
        });
    }
    files
}

/// URLs a sitemap file lists at most: the protocol's limit is 50,000 (and
/// 50 MB); Zola splits at 30,000 too.
pub(super) const SITEMAP_URLS: usize = 30_000;

/// The paths of the plan's pages that a sitemap lists (each once, for
/// every language).
fn sitemap_pages<'a>(site: &'a Site, plan: &'a [Job]) -> impl Iterator<Item = String> + 'a {
    plan.iter().filter_map(move |job| match job {
        Job::Page { lang: 0, page } if page.in_sitemap(site) => Some(page.path(site)),
        _ => None,
    })
}

/// How many URLs the sitemap of the plan lists.
pub(super) fn sitemap_urls(site: &Site, plan: &[Job]) -> usize {
    sitemap_pages(site, plan).count() * site.languages.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the limit, `sitemap.xml` indexes parts at the root, each
    /// within the limit, every entry in exactly one, in order.
    #[test]
    fn large_sitemaps_are_split_into_indexed_parts() {
        let entries: Vec<String> = (0..7)
            .map(|i| format!("<url><loc>https://x.org/p{i}/</loc></url>\n"))
            .collect();
        let url = |p: &str| format!("https://x.org/{p}");
        let text = |f: &File| String::from_utf8(f.bytes.clone()).unwrap();
        let one = sitemap_files(&entries, 1, 3, &url);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].path, "sitemap.xml");
        assert!(text(&one[0]).contains("<urlset") && text(&one[0]).contains("p6"));

        let parts = entries.len().div_ceil(3);
        let files = sitemap_files(&entries, parts, 3, &url);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, paths::sitemaps(3));
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap1.xml",
                "sitemap2.xml",
                "sitemap3.xml"
            ]
        );
        let index = text(&files[0]);
        assert!(index.contains("<sitemapindex"));
        for name in &names[1..] {
            assert!(index.contains(&format!("<loc>https://x.org/{name}</loc>")));
        }
        let listed: Vec<String> = files[1..]
            .iter()
            .flat_map(|f| {
                let t = text(f);
                assert!(t.starts_with("<?xml") && t.ends_with("</urlset>\n"));
                assert!(t.matches("<url>").count() <= 3);
                t.lines()
                    .filter(|l| l.starts_with("<url>"))
                    .map(|l| format!("{l}\n"))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(listed, entries);
    }
}
