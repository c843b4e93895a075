using System.Text;
using Rag.Retrieval.Extraction;

namespace Rag.Retrieval.Tests.Extraction;

/// <summary>Navigation chrome is left out of an HTML page's text, so it never becomes chunks of its own.</summary>
public sealed class HtmlBoilerplateTests
{
    private static ExtractedDocument Extract(string html) => TextExtractor.Extract("page.html", Encoding.UTF8.GetBytes(html));

    /// <summary>The shape of every page of the PostgreSQL HTML manual (DocBook XSL), cut down to one paragraph.</summary>
    private const string DocBookPage = """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>30.3. Write-Ahead Logging (WAL)</title></head><body id="docContent" class="container-fluid col-10"><div class="navheader"><table width="100%" summary="Navigation header"><tr><th colspan="5" align="center">30.3. Write-Ahead Logging (<acronym class="acronym">WAL</acronym>)</th></tr><tr><td width="10%" align="left"><a accesskey="p" href="checksums.html" title="30.2. Data Checksums">Prev</a> </td><td width="10%" align="left"><a accesskey="u" href="wal.html" title="Chapter 30. Reliability and the Write-Ahead Log">Up</a></td><th width="60%" align="center">Chapter 30. Reliability and the Write-Ahead Log</th><td width="10%" align="right"><a accesskey="h" href="index.html" title="PostgreSQL 15.20 Documentation">Home</a></td><td width="10%" align="right"> <a accesskey="n" href="wal-async-commit.html" title="30.4. Asynchronous Commit">Next</a></td></tr></table><hr /></div><div class="sect1" id="WAL-INTRO"><div class="titlepage"><div><div><h2 class="title" style="clear: both">30.3. Write-Ahead Logging (<acronym class="acronym">WAL</acronym>)</h2></div></div></div><p>
            <em class="firstterm">Write-Ahead Logging</em> (<acronym class="acronym">WAL</acronym>)
            is a standard method for ensuring data integrity.
           </p></div><div class="navfooter"><hr /><table width="100%" summary="Navigation footer"><tr><td width="40%" align="left"><a accesskey="p" href="checksums.html" title="30.2. Data Checksums">Prev</a> </td><td width="20%" align="center"><a accesskey="u" href="wal.html" title="Chapter 30. Reliability and the Write-Ahead Log">Up</a></td><td width="40%" align="right"> <a accesskey="n" href="wal-async-commit.html" title="30.4. Asynchronous Commit">Next</a></td></tr><tr><td width="40%" align="left" valign="top">30.2. Data Checksums </td><td width="20%" align="center"><a accesskey="h" href="index.html" title="PostgreSQL 15.20 Documentation">Home</a></td><td width="40%" align="right" valign="top"> 30.4. Asynchronous Commit</td></tr></table></div></body></html>
        """;

    [Fact]
    public void DocBook_navigation_header_and_footer_leave_only_the_section_itself()
    {
        var document = Extract(DocBookPage);

        Assert.Equal("30.3. Write-Ahead Logging (WAL)\n\nWrite-Ahead Logging (WAL) is a standard method for ensuring data integrity.", document.Text);
        // Nothing precedes the heading, so no section (and no chunk) is made of the navigation bar.
        var section = Assert.Single(document.Sections);
        Assert.Equal(["30.3. Write-Ahead Logging (WAL)"], section.Path);
    }

    [Fact]
    public void Site_navigation_page_banner_footer_and_skip_links_are_dropped()
    {
        var document = Extract("""
            <html><body>
            <a class="skip-link" href="#main">Skip to main content</a>
            <header><a href="/">Acme</a> <a href="/pricing">Pricing</a></header>
            <nav><ul><li><a href="/docs">Docs</a></li><li><a href="/blog">Blog</a></li></ul></nav>
            <div role="navigation"><a href="/a">Breadcrumb A</a> / <a href="/b">Breadcrumb B</a></div>
            <main id="main"><h1>Backups</h1><p>Run the backup nightly.</p></main>
            <footer>Copyright Acme. <a href="/privacy">Privacy</a></footer>
            </body></html>
            """);

        Assert.Equal("Backups\n\nRun the backup nightly.", document.Text);
    }

    [Fact]
    public void An_articles_own_header_and_footer_and_ordinary_in_page_links_are_kept()
    {
        var document = Extract("""
            <html><body><article>
            <header><h1>Release notes</h1><p>Published in March.</p></header>
            <p>See <a href="#fixes">the fixes</a> below.</p>
            <footer>Written by the release team.</footer>
            </article></body></html>
            """);

        Assert.Contains("Published in March.", document.Text, StringComparison.Ordinal);
        Assert.Contains("See the fixes below.", document.Text, StringComparison.Ordinal);
        Assert.Contains("Written by the release team.", document.Text, StringComparison.Ordinal);
    }
}
