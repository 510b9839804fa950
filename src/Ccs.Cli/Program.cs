using Ccs.Cli;
using Ccs.Cli.Commands;

return CommandLine.Dispatch(args, new Dictionary<string, Func<string[], int>>
{
    ["predict"] = PredictCommand.Run,
    ["evaluate"] = EvaluateCommand.Run,
    ["phantoms"] = PhantomsCommand.Run,
    ["bench"] = BenchCommand.Run,
});
