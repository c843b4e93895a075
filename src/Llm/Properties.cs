using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Rag.Llm.Tests")]
[assembly: InternalsVisibleTo("Rag.Llm.Bench")]
