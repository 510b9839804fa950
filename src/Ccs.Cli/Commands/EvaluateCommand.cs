namespace Ccs.Cli.Commands;

internal static class EvaluateCommand
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("not built yet");
        return 1;
    }
}
