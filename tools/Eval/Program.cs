namespace Rag.Eval;

// Not top-level statements: their global `Program` would clash with the service's in the tests that reference both.
internal static class EvalProgram
{
    public static Task<int> Main(string[] args) => EvalCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}
