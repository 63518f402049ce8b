"""The readers' site: public pages, their queries, feed, sitemaps, search and page cache."""
