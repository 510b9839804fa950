using Ccs.Core.Cases;
using Ccs.Core.Models;
using Ccs.Functions.Api;
using Ccs.Functions.Intake;
using Ccs.Functions.Models;
using Ccs.Functions.Pipeline;
using Ccs.Functions.Results;
using Ccs.Functions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ccs.Functions;

public static class ServiceRegistration
{
    /// <summary>
    /// Everything the functions need, from app settings. Tests call this too, after registering their own
    /// <see cref="CaseStorageAccount"/>, <see cref="ModelSource"/> or <see cref="IntakeOptions"/>, which win.
    /// </summary>
    public static IServiceCollection AddCcsFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        var names = StorageNames.FromConfiguration(configuration);
        services.TryAddSingleton(names);
        services.TryAddSingleton(_ => CaseStorageAccount.FromConfiguration(configuration, AppSettingNames.CaseStorage));
        services.TryAddSingleton(
            new ModelSource(ModelSource.DeployedFolder, names.Models, ModelSource.DefaultCacheFolder));
        services.TryAddSingleton(new InferenceOptions { IntraOpThreads = IntraOpThreads(configuration) });
        services.TryAddSingleton(CaseLimits.Default);
        services.TryAddSingleton(IntakeOptions.Default);
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<ModelSetProvider>();
        services.TryAddSingleton<ResultsTable>();
        services.TryAddSingleton<ResultBlobs>();
        services.TryAddSingleton<CaseIntake>();
        services.TryAddSingleton<CaseActivities>();
        services.TryAddSingleton<CaseQueries>();
        services.TryAddSingleton<ArchiveUploads>();
        services.TryAddSingleton<HealthProbe>();
        return services;
    }

    /// <summary>
    /// One thread per session run by default: activities already run several backbones side by side, and more
    /// threads than cores only adds contention.
    /// </summary>
    private static int IntraOpThreads(IConfiguration configuration)
    {
        var text = configuration[AppSettingNames.InferenceIntraOpThreads.Replace("__", ":")];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        return int.TryParse(text, out var threads) && threads > 0
            ? threads
            : throw new InvalidOperationException(
                $"app setting '{AppSettingNames.InferenceIntraOpThreads}' must be a whole number of 1 or more, "
                + $"not '{text}'");
    }
}
