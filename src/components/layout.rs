//! Site header and footer.

use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="wrap">
                <a class="site-name" href="/">"Copydesk"</a>
                <nav aria-label="Site">
                    <ul>
                        <li><a href="/">"Latest"</a></li>
                        <li><a href="/feed.xml">"Feed"</a></li>
                    </ul>
                </nav>
                <form class="site-search" method="get" action="/search" role="search">
                    <label for="site-search-q" class="visually-hidden">"Search the stories"</label>
                    <input id="site-search-q" name="q" type="search" placeholder="Search" maxlength="200" />
                    <button type="submit">"Search"</button>
                </form>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>"Copydesk: independent local reporting. Spotted a mistake? Every article has a way to tell us."</p>
                <p>
                    <a href="/corrections">"Corrections"</a> " · " <a href="/feed.xml">"Atom feed"</a> " · "
                    <a href="/sitemap.xml">"Sitemap"</a> " · " <a href="/staff">"Staff desk"</a>
                </p>
            </div>
        </footer>
    }
}
