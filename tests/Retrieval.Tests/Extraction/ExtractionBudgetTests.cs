using System.IO.Compression;
using System.Text;
using Rag.Retrieval.Extraction;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using PageSize = UglyToad.PdfPig.Content.PageSize;

namespace Rag.Retrieval.Tests.Extraction;

/// <summary>Each budget of <see cref="ExtractionOptions"/>: refused just past it, with the setting named; read up to it.</summary>
public sealed class ExtractionBudgetTests
{
    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static ExtractionBudgetExceededException Refused(string fileName, byte[] content, ExtractionOptions budgets, string setting)
    {
        var error = Assert.Throws<ExtractionBudgetExceededException>(() => TextExtractor.Extract(fileName, content, budgets));
        Assert.Equal(setting, error.Setting);
        Assert.Equal(fileName, error.FileName);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        // The worker fails such a job for good: it would exceed the same budget on every attempt.
        Assert.IsAssignableFrom<DocumentExtractionException>(error);
        return error;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Sixty_thousand_unclosed_html_tags_are_refused_at_the_depth_budget()
    {
        Refused("bold.html", Utf8("<html><body>" + Repeat("<b>", 60_000) + "x"), new ExtractionOptions(), "Extraction:MaxDepth");
    }

    [Fact]
    public void Fifty_thousand_nested_divs_are_refused_at_the_depth_budget()
    {
        var html = "<html><body>" + Repeat("<div>", 50_000) + "deep" + Repeat("</div>", 50_000) + "</body></html>";

        Refused("divs.html", Utf8(html), new ExtractionOptions(), "Extraction:MaxDepth");
    }

    [Fact]
    public void Html_nested_exactly_to_the_budget_is_read()
    {
        // html and body are two levels, so the paragraph sits at the limit.
        var html = "<html><body>" + Repeat("<div>", 13) + "<p>At the limit.</p>" + Repeat("</div>", 13) + "</body></html>";

        Assert.Contains("At the limit.", TextExtractor.Extract("deep.html", Utf8(html), new ExtractionOptions { MaxDepth = 16 }).Text, StringComparison.Ordinal);
        Refused("deeper.html", Utf8(html.Replace("<p>", "<div><p>", StringComparison.Ordinal)), new ExtractionOptions { MaxDepth = 16 }, "Extraction:MaxDepth");
    }

    [Fact]
    public void Unclosed_list_items_rows_and_cells_do_not_count_as_nesting()
    {
        // Legacy HTML leaves these open; the parser closes them at the next sibling, and so must the depth count.
        var html = "<html><body><ul>" + Repeat("<li>item", 500) + "</ul><table>" + Repeat("<tr><td>cell<td>cell", 500) + "</table><dl>"
            + Repeat("<dt>term<dd>definition", 500) + "</dl>" + Repeat("<p>paragraph", 500) + "</body></html>";

        var document = TextExtractor.Extract("legacy.html", Utf8(html), new ExtractionOptions { MaxDepth = 16 });

        Assert.Contains("definition", document.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_quotes_and_lists_nested_past_the_budget_are_refused()
    {
        Refused("quotes.md", Utf8(Repeat("> ", 200) + "deep\n"), new ExtractionOptions(), "Extraction:MaxDepth");
        Refused("lists.md", Utf8(Repeat("- ", 100) + "deep\n"), new ExtractionOptions(), "Extraction:MaxDepth");
    }

    [Fact]
    public void Markdown_nested_by_indentation_past_the_parsers_own_limit_is_refused()
    {
        var markdown = string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i * 2) + "- item\n"));

        Refused("indented.md", Utf8(markdown), new ExtractionOptions(), "Extraction:MaxDepth");
    }

    [Fact]
    public void Markdown_emphasis_bombs_are_read_as_text_without_inline_parsing()
    {
        // 100 KB of openers that never close: the inline parser's worst case, and all of it outside a heading.
        var markdown = "# Notes\n\n" + Repeat("*a **a _a [a ", 7_500);

        var document = TextExtractor.Extract("emphasis.md", Utf8(markdown), new ExtractionOptions());

        Assert.Equal(markdown, document.Text);
        Assert.Equal(["Notes"], document.Sections[^1].Path);
    }

    [Fact]
    public void Markdown_heading_titles_lose_their_inline_markup()
    {
        var document = TextExtractor.Extract("guide.md", Utf8("# Using `COPY` **quickly** with [links](https://example.com)\n\nBody."), new ExtractionOptions());

        Assert.Equal(["Using COPY quickly with links"], document.Sections.Single(s => document.Text[s.Start..s.End].Contains("Body", StringComparison.Ordinal)).Path);
    }

    [Fact]
    public void Docx_content_controls_nested_past_the_budget_are_refused_before_openxml_reads_them()
    {
        var body = Repeat("<w:sdt><w:sdtContent>", 20_000) + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + Repeat("</w:sdtContent></w:sdt>", 20_000);

        Refused("controls.docx", Docx(body), new ExtractionOptions(), "Extraction:MaxDepth");
    }

    [Fact]
    public void Docx_main_part_named_without_xml_is_still_checked_for_nesting()
    {
        // The package's content types, not the file extension, make document.bin the part OpenXml parses; the
        // unreferenced document.xml only gets the upload past format detection.
        var decoy = ("word/document.xml", Utf8("<unused/>"));
        var body = Repeat("<w:sdt><w:sdtContent>", 20_000) + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + Repeat("</w:sdtContent></w:sdt>", 20_000);

        Refused("renamed.docx", Docx(body, "word/document.bin", decoy), new ExtractionOptions(), "Extraction:MaxDepth");
        Assert.Contains("shallow", TextExtractor.Extract("renamed.docx", Docx("<w:p><w:r><w:t>shallow</w:t></w:r></w:p>", "word/document.bin", decoy)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Docx_parts_expanding_past_the_budget_are_refused()
    {
        // 4 MB of XML in a few kilobytes of ZIP.
        var paragraph = "<w:p><w:r><w:t>" + new string('a', 4 << 20) + "</w:t></w:r></w:p>";

        var docx = Docx(paragraph);

        Assert.True(docx.Length < 64 << 10);
        Refused("bomb.docx", docx, new ExtractionOptions { MaxDecompressedBytes = 1 << 20 }, "Extraction:MaxDecompressedBytes");
    }

    [Fact]
    public void Docx_binary_parts_count_at_their_expanded_size()
    {
        var docx = Docx("<w:p><w:r><w:t>Small text.</w:t></w:r></w:p>", ("word/media/zeros.bin", new byte[2 << 20]));

        Refused("media.docx", docx, new ExtractionOptions { MaxDecompressedBytes = 1 << 20 }, "Extraction:MaxDecompressedBytes");
        Assert.Contains("Small text.", TextExtractor.Extract("media.docx", docx, new ExtractionOptions { MaxDecompressedBytes = 4 << 20 }).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Docx_text_past_the_character_budget_is_refused()
    {
        var docx = Docx(Repeat("<w:p><w:r><w:t>" + new string('x', 99) + "</w:t></w:r></w:p>", 20));

        Refused("long.docx", docx, new ExtractionOptions { MaxCharacters = 1_000 }, "Extraction:MaxCharacters");
    }

    [Fact]
    public void Plain_text_is_read_up_to_the_character_budget_and_refused_past_it()
    {
        Assert.Equal(1_000, TextExtractor.Extract("limit.txt", Utf8(new string('x', 1_000)), new ExtractionOptions { MaxCharacters = 1_000 }).Text.Length);
        Refused("over.txt", Utf8(new string('x', 1_001)), new ExtractionOptions { MaxCharacters = 1_000 }, "Extraction:MaxCharacters");
    }

    [Fact]
    public void Pdf_stream_expanding_past_the_budget_is_refused()
    {
        var pdf = Pdf("<< /Length {0} /Filter /FlateDecode >>", Deflated(new byte[8 << 20]));

        Assert.True(pdf.Length < 64 << 10);
        Refused("bomb.pdf", pdf, new ExtractionOptions { MaxDecompressedBytes = 1 << 20 }, "Extraction:MaxDecompressedBytes");
    }

    [Fact]
    public void Pdf_arrays_nested_past_the_budget_are_refused()
    {
        var pdf = Pdf("<< /Length {0} /Nested " + Repeat("[", 100_000) + Repeat("]", 100_000) + " >>", Deflated(Utf8("BT ET")));

        Refused("nested.pdf", pdf, new ExtractionOptions(), "Extraction:MaxDepth");
    }

    [Fact]
    public void Pdf_with_more_pages_than_the_budget_is_refused()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var page = 1; page <= 3; page++)
        {
            builder.AddPage(PageSize.A4).AddText($"Page {page}.", 12, new PdfPoint(50, 700), font);
        }
        var pdf = builder.Build();

        Assert.Equal(3, TextExtractor.Extract("three.pdf", pdf, new ExtractionOptions { MaxPages = 3 }).Pages.Count);
        Refused("three.pdf", pdf, new ExtractionOptions { MaxPages = 2 }, "Extraction:MaxPages");
    }

    [Fact]
    public void Extraction_past_its_wall_time_is_refused()
    {
        var error = Assert.Throws<ExtractionBudgetExceededException>(() =>
            TextExtractor.Extract("slow.html", Utf8("<p>Hello</p>"), new ExtractionOptions { MaxTime = TimeSpan.FromSeconds(1) }, new SteppingClock(TimeSpan.FromSeconds(2))));

        Assert.Equal("Extraction:MaxTime", error.Setting);
    }

    [Fact]
    public void A_cancelled_extraction_stops_with_cancellation_not_a_document_error()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            TextExtractor.Extract("page.html", Utf8("<p>Hello</p>"), new ExtractionOptions(), cancellationToken: cancelled.Token));
    }

    /// <summary>A clock that moves on by <paramref name="step"/> every time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, step.Ticks);
    }

    private static byte[] Deflated(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return compressed.ToArray();
    }

    /// <summary>A one-object PDF whose stream has this dictionary (<c>{0}</c> is its length) and data; no pages needed to reach the checks.</summary>
    private static byte[] Pdf(string dictionary, byte[] streamData)
    {
        using var pdf = new MemoryStream();
        pdf.Write(Utf8("%PDF-1.7\n1 0 obj\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, dictionary, streamData.Length) + "\nstream\n"));
        pdf.Write(streamData);
        pdf.Write(Utf8("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"));
        return pdf.ToArray();
    }

    /// <summary>A minimal Word package around this body XML, plus any extra parts.</summary>
    internal static byte[] Docx(string bodyXml, params (string Name, byte[] Content)[] extraParts) => Docx(bodyXml, "word/document.xml", extraParts);

    /// <summary>A minimal Word package whose main document part is stored under <paramref name="mainPart"/>.</summary>
    private static byte[] Docx(string bodyXml, string mainPart, params (string Name, byte[] Content)[] extraParts)
    {
        using var package = new MemoryStream();
        using (var zip = new ZipArchive(package, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] content)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(content);
            }
            Add("[Content_Types].xml", Utf8($"""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/octet-stream"/><Override PartName="/{mainPart}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""));
            Add("_rels/.rels", Utf8($"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/{mainPart}"/></Relationships>"""));
            Add(mainPart, Utf8("""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>""" + bodyXml + "</w:body></w:document>"));
            foreach (var (name, content) in extraParts)
            {
                Add(name, content);
            }
        }
        return package.ToArray();
    }
}
