using Rag.Llm.Chat;

namespace Rag.Llm.Tests.Chat;

/// <summary>The Jinja subset, feature by feature, over three messages (user "a", assistant "b", user "c").</summary>
public sealed class TemplateLanguageTests
{
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, object?>> Messages =
    [
        ChatTemplateTestData.Message("user", "a"),
        ChatTemplateTestData.Message("assistant", "b"),
        ChatTemplateTestData.Message("user", "c"),
    ];

    private static string Render(string source, IReadOnlyDictionary<string, object?>? variables = null) =>
        new ChatTemplate(source, "<s>", "</s>").Render(Messages, addGenerationPrompt: true, variables);

    [Theory]
    [InlineData("{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}",
        "10TrueFalse3;21FalseFalse3;32FalseTrue3;")]
    [InlineData("{% for m in messages %}{% if m.role == 'user' %}U{% elif m['role'] == 'assistant' %}A{% else %}?{% endif %}{% endfor %}", "UAU")]
    [InlineData("{% for m in messages[1:] %}{{ m.content }}{% endfor %}|{{ messages[-1].content }}|{{ (messages | last).content }}", "bc|c|c")]
    [InlineData("{{ 'abcdef'[1:4] }}{{ 'abcdef'[::-1] }}{{ [1, 2, 3][:-1] }}", "bcdfedcba[1, 2]")]
    [InlineData("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}", "3")]
    [InlineData("{% set x = 1 %}{% for m in messages %}{% set x = 2 %}{% endfor %}{{ x }}", "1")]
    [InlineData("{{ 'x' ~ 1 ~ none }}{{ 'a' + 'b' }}{{ 7 // 2 }}{{ 7 % 4 }}{{ 2 ** 3 }}{{ 1 / 2 }}", "x1Noneab3380.5")]
    [InlineData("{{ none | string }}{{ [1, \"a\"] }}{{ {\"a\": none} }}{{ 1.0 }}{{ 10/4 }}{{ true }}{{ \"x\" * 3 }}{{ -7 // 2 }}{{ -7 % 3 }}",
        "None[1, 'a']{'a': None}1.02.5Truexxx-42")]
    [InlineData("{{ 'b' in 'abc' }}{{ 'user' in messages | map(attribute='role') | list }}{{ 'z' not in ['a'] }}", "TrueTrueTrue")]
    [InlineData("{{ not false and (true or false) }}{{ 3 > 2 >= 2 }}{{ 'a' if false else 'b' }}", "TrueTrueb")]
    [InlineData("{{ '  hi  ' | trim }}{{ messages | length }}{{ 'AbC' | lower }}{{ 'abc' | upper }}{{ 'hello world' | capitalize }}",
        "hi3abcABCHello world")]
    [InlineData("{{ undefined_name | default('d') }}{{ '' | default('e', true) }}{{ [1, 2] | join(', ') }}{{ 'aXb' | replace('X', '-') }}", "de1, 2a-b")]
    [InlineData("{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | join }}{{ messages | rejectattr('role', 'eq', 'user') | list | length }}", "ac1")]
    [InlineData("{% for k, v in {'a': 1, 'b': [true, none]} | items %}{{ k }}={{ v | tojson }};{% endfor %}", "a=1;b=[true, null];")]
    [InlineData("{{ {'k': 'é\"\n'} | tojson }}|{{ [1] | tojson(indent=2) }}", "{\"k\": \"é\\\"\\n\"}|[\n  1\n]")]
    [InlineData("{{ x is defined }}{{ none is none }}{{ 'a' is string }}{{ 1 is number }}{{ {} is mapping }}{{ 3 is odd }}{{ 1 is not string }}",
        "FalseTrueTrueTrueTrueTrueTrue")]
    [InlineData("{{ '  x '.strip() }}{{ 'a,b'.split(',') | length }}{{ 'abc'.startswith('ab') }}{{ {'a': 1}.get('b', 2) }}", "x2True2")]
    [InlineData("{% for i in range(3) %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}{% for i in range(5) %}{% if i == 2 %}{% break %}{% endif %}{{ i }}{% endfor %}", "0201")]
    [InlineData("{% for m in messages if m.role == 'user' %}{{ loop.index }}{{ m.content }}{% endfor %}{% for m in [] %}x{% else %}empty{% endfor %}", "1a2cempty")]
    [InlineData("{% macro turn(role, text='?') %}[{{ role }}:{{ text }}]{% endmacro %}{{ turn('u', 'hi') }}{{ turn('a') }}", "[u:hi][a:?]")]
    [InlineData("{% set block %}in{{ 1 + 1 }}{% endset %}{{ block }}{# a comment #}{{ bos_token }}{{ eos_token }}{{ add_generation_prompt }}", "in2<s></s>True")]
    public void Expressions_statements_filters_and_tests_behave_like_jinja(string source, string expected) =>
        Assert.Equal(expected, Render(source));

    [Fact]
    public void Dash_markers_strip_whitespace_on_their_side()
    {
        Assert.Equal("a|b", Render("a  \n {{- '|' -}} \n  b"));
        Assert.Equal("a\n |\n b", Render("a\n {{ '|' }}\n b"));
    }

    [Fact]
    public void Block_tags_drop_their_trailing_newline_and_indentation_as_transformers_configures_jinja()
    {
        const string source = "<\n{% if true %}\n    {% for m in messages %}\n    {{ m.content }}\n    {% endfor %}\n{% endif %}\n>";
        Assert.Equal("<\n    a\n    b\n    c\n>", Render(source));
    }

    [Fact]
    public void Raise_exception_carries_the_templates_message()
    {
        var error = Assert.Throws<ChatTemplateException>(() => Render("{{ raise_exception('no ' ~ messages[0].role) }}"));
        Assert.Equal("no user", error.Message);
    }

    [Fact]
    public void A_syntax_error_names_the_problem()
    {
        Assert.Throws<ChatTemplateException>(() => new ChatTemplate("{% if x %}unclosed"));
        Assert.Throws<ChatTemplateException>(() => new ChatTemplate("{% frobnicate %}"));
    }

    [Fact]
    public void Microsoft_extensions_ai_messages_render_with_their_roles_and_text()
    {
        var template = new ChatTemplate(ChatTemplate.ChatMlSource);
        var rendered = template.Render(
            [new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.System, "s"), new(Microsoft.Extensions.AI.ChatRole.User, "u")],
            addGenerationPrompt: false);
        Assert.Equal("<|im_start|>system\ns<|im_end|>\n<|im_start|>user\nu<|im_end|>\n", rendered);
    }
}
