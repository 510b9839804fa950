using Ccs.Functions.Storage;
using Microsoft.DurableTask;

namespace Ccs.Functions.Pipeline;

/// <summary>
/// Activity retries for storage that is briefly unreachable: about a minute of backoff in all, on top of the Azure
/// SDK's own quick retries. Anything else (a bug, a missing blob) fails at once; bad input never throws at all.
/// </summary>
public static class Retries
{
    public static RetryPolicy StoragePolicy { get; } = new(
        maxNumberOfAttempts: 6,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        HandleFailure = TransientStorage.IsTransient,
    };

    public static TaskOptions Storage { get; } = TaskOptions.FromRetryPolicy(StoragePolicy);
}
