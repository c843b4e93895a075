using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using PageSize = UglyToad.PdfPig.Content.PageSize;
using Rag.Retrieval.Extraction;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Rag.Retrieval.Tests.Extraction;

public sealed class TextExtractorTests
{
    private static ExtractedDocument Extract(string fileName, string content) => TextExtractor.Extract(fileName, Encoding.UTF8.GetBytes(content));

    private static TextSection SectionAt(ExtractedDocument document, string phrase)
    {
        var at = document.Text.IndexOf(phrase, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{phrase}' not in the extracted text");
        return document.Sections.Single(s => s.Start <= at && at < s.End);
    }

    [Fact]
    public void Plain_text_is_kept_verbatim()
    {
        var text = "First line.\r\n\r\nSecond paragraph with ünïcode.";

        var document = Extract("notes.txt", text);

        Assert.Equal(SourceFormat.PlainText, document.Format);
        Assert.Equal(text, document.Text);
        Assert.Empty(document.Pages);
    }

    [Fact]
    public void Markdown_keeps_the_source_and_gives_nested_section_paths()
    {
        var markdown = "Intro text.\n\n# Guide\n\nGuide text.\n\n## Install\n\nRun the installer.\n\n## Configure\n\nEdit the file.\n\n# Appendix\n\nMore.";

        var document = Extract("guide.md", markdown);

        Assert.Equal(SourceFormat.Markdown, document.Format);
        Assert.Equal(markdown, document.Text);
        Assert.Empty(SectionAt(document, "Intro text").Path);
        Assert.Equal(["Guide"], SectionAt(document, "Guide text").Path);
        Assert.Equal(["Guide", "Install"], SectionAt(document, "Run the installer").Path);
        Assert.Equal(["Guide", "Configure"], SectionAt(document, "Edit the file").Path);
        Assert.Equal(["Appendix"], SectionAt(document, "More.").Path);
    }

    [Fact]
    public void Markdown_headings_that_read_like_list_or_quote_markers_keep_their_text()
    {
        var markdown = "# Guide\n\n## 3. Installation\n\nRun it.\n\n## - dash\n\nDashed.\n\n## > quoted `code`\n\nQuoted.\n\nSetext title\nover two lines\n---\n\nUnderlined.";

        var document = Extract("guide.md", markdown);

        Assert.Equal(["Guide", "3. Installation"], SectionAt(document, "Run it.").Path);
        Assert.Equal(["Guide", "- dash"], SectionAt(document, "Dashed.").Path);
        Assert.Equal(["Guide", "> quoted code"], SectionAt(document, "Quoted.").Path);
        Assert.Equal(["Guide", "Setext title over two lines"], SectionAt(document, "Underlined.").Path);
    }

    [Fact]
    public void Html_gives_visible_text_with_headings_and_drops_scripts()
    {
        var html = """
            <!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style></head>
            <body><script>var hidden = 1;</script>
            <h1>Manual</h1><p>Welcome &amp; hello.</p>
            <h2>Setup</h2><p>Install <b>the</b> package.</p><ul><li>Step one</li><li>Step two</li></ul>
            </body></html>
            """;

        var document = Extract("page.html", html);

        Assert.Equal(SourceFormat.Html, document.Format);
        Assert.DoesNotContain("hidden", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("color", document.Text, StringComparison.Ordinal);
        Assert.Contains("Welcome & hello.", document.Text, StringComparison.Ordinal);
        Assert.Contains("Install the package.", document.Text, StringComparison.Ordinal);
        Assert.Equal(["Manual"], SectionAt(document, "Welcome").Path);
        Assert.Equal(["Manual", "Setup"], SectionAt(document, "Step two").Path);
    }

    [Fact]
    public void Html_is_recognised_by_content_without_an_extension()
    {
        Assert.Equal(SourceFormat.Html, Extract("download", "<html><body><p>Hi there</p></body></html>").Format);
    }

    [Fact]
    public void Pdf_text_keeps_its_page_numbers()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText("Apples grow on trees.", 12, new PdfPoint(50, 700), font);
        builder.AddPage(PageSize.A4).AddText("Bananas grow in bunches.", 12, new PdfPoint(50, 700), font);

        var document = TextExtractor.Extract("fruit.pdf", builder.Build());

        Assert.Equal(SourceFormat.Pdf, document.Format);
        Assert.Equal(2, document.Pages.Count);
        var bananas = document.Text.IndexOf("Bananas", StringComparison.Ordinal);
        var apples = document.Text.IndexOf("Apples", StringComparison.Ordinal);
        Assert.Equal(1, document.Pages.Single(p => p.Start <= apples && apples < p.End).Number);
        Assert.Equal(2, document.Pages.Single(p => p.Start <= bananas && bananas < p.End).Number);
    }

    [Fact]
    public void Docx_paragraphs_and_heading_styles_give_section_paths()
    {
        var docx = BuildDocx(
            ("Heading1", "Overview"), (null, "The product answers questions."),
            ("Heading2", "Limits"), (null, "Uploads are capped at ten megabytes."),
            ("Heading1", "Support"), (null, "Write to the help desk."));

        var document = TextExtractor.Extract("spec.docx", docx);

        Assert.Equal(SourceFormat.Docx, document.Format);
        Assert.Contains("Uploads are capped at ten megabytes.", document.Text, StringComparison.Ordinal);
        Assert.Equal(["Overview"], SectionAt(document, "The product").Path);
        Assert.Equal(["Overview", "Limits"], SectionAt(document, "Uploads").Path);
        Assert.Equal(["Support"], SectionAt(document, "help desk").Path);
    }

    [Fact]
    public void Content_wins_over_a_misleading_file_name()
    {
        var builder = new PdfDocumentBuilder();
        builder.AddPage(PageSize.A4).AddText("Quarterly figures.", 12, new PdfPoint(50, 700), builder.AddStandard14Font(Standard14Font.Helvetica));
        var docx = BuildDocx((null, "Meeting minutes."));

        Assert.Equal(SourceFormat.Pdf, TextExtractor.Extract("report.txt", builder.Build()).Format);
        Assert.Equal(SourceFormat.Docx, TextExtractor.Extract("minutes", docx).Format);
    }

    [Fact]
    public void Binary_content_of_an_unknown_type_is_unsupported_and_named()
    {
        var error = Assert.Throws<UnsupportedDocumentException>(() => TextExtractor.Extract("photo.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13 }));

        Assert.Equal("photo.png", error.FileName);
        Assert.Contains("photo.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_that_is_not_a_word_document_is_unsupported()
    {
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("readme.txt").Open());
            writer.Write("hello");
        }

        Assert.Throws<UnsupportedDocumentException>(() => TextExtractor.Extract("archive.docx", zip.ToArray()));
    }

    [Fact]
    public void A_file_named_pdf_without_a_pdf_header_is_unreadable()
    {
        var error = Assert.Throws<UnreadableDocumentException>(() => Extract("report.pdf", "just some text"));

        Assert.Contains("report.pdf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_pdf_is_unreadable()
    {
        var builder = new PdfDocumentBuilder();
        builder.AddPage(PageSize.A4).AddText("Hello", 12, new PdfPoint(50, 700), builder.AddStandard14Font(Standard14Font.Helvetica));
        var bytes = builder.Build();

        Assert.Throws<UnreadableDocumentException>(() => TextExtractor.Extract("cut.pdf", bytes.AsMemory(0, 40)));
    }

    [Fact]
    public void An_empty_or_blank_file_is_unreadable()
    {
        Assert.Throws<UnreadableDocumentException>(() => TextExtractor.Extract("empty.txt", Array.Empty<byte>()));
        Assert.Throws<UnreadableDocumentException>(() => Extract("blank.md", "  \n\n  "));
    }

    internal static byte[] BuildDocx(params (string? Style, string Text)[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            var body = new Body();
            foreach (var (style, text) in paragraphs)
            {
                var paragraph = new Paragraph(new Run(new Text(text)));
                if (style is not null)
                {
                    paragraph.PrependChild(new ParagraphProperties(new ParagraphStyleId { Val = style }));
                }
                body.Append(paragraph);
            }
            main.Document = new Document(body);
        }
        return stream.ToArray();
    }
}
