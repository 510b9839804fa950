using Microsoft.Extensions.Configuration;

namespace Ccs.Functions.Storage;

/// <summary>The containers and table of <c>CaseStorage</c>, from app settings with their defaults.</summary>
public sealed record StorageNames(string Cases, string Results, string ResultsTable, string? Models)
{
    public const string DefaultCases = "cases";
    public const string DefaultResults = "results";
    public const string DefaultResultsTable = "CcsResults";

    public static StorageNames FromConfiguration(IConfiguration configuration) => new(
        Setting(configuration, AppSettingNames.CasesContainer) ?? DefaultCases,
        Setting(configuration, AppSettingNames.ResultsContainer) ?? DefaultResults,
        Setting(configuration, AppSettingNames.ResultsTable) ?? DefaultResultsTable,
        Setting(configuration, AppSettingNames.ModelsContainer));

    private static string? Setting(IConfiguration configuration, string name) =>
        string.IsNullOrWhiteSpace(configuration[name]) ? null : configuration[name]!.Trim();
}
