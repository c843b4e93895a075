using System.Text;

namespace Rag.Tokenizers.Tests;

/// <summary>Normalization must work under InvariantGlobalization (on in this repo), where string.Normalize does nothing.</summary>
public sealed class UnicodeDataTests
{
    [Theory]
    [InlineData("Café", NormalizationForm.FormD, "Cafe\u0301")]
    [InlineData("Cafe\u0301", NormalizationForm.FormC, "Café")]
    [InlineData("ﬁ①", NormalizationForm.FormKC, "fi1")]
    [InlineData("ﬁ", NormalizationForm.FormC, "ﬁ")]
    [InlineData("한", NormalizationForm.FormD, "\u1112\u1161\u11AB")]
    [InlineData("한", NormalizationForm.FormC, "한")]
    [InlineData("Å", NormalizationForm.FormKD, "A\u030A")]
    public void Normalization_forms_follow_unicode(string input, NormalizationForm form, string expected) =>
        Assert.Equal(expected, UnicodeData.Normalize(input, form));
}
