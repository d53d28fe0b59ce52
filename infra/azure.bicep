// Azure resources for Service Routing: one App Service on Node 22 LTS (bot endpoint, /api/v1
// and the tab), a Storage account whose Table service is the system of record (reached with
// the app's managed identity; shared keys are off), Application Insights, and the Bot
// Service, whose identity is the same user-assigned managed identity (no bot secret).
@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('Client id of the SSO Entra app (audience of the tab tokens)')
param aadAppClientId string

@description('The Teams app id of the manifest: with Graph, the app is installed through it for people the bot cannot reach')
param teamsAppId string

@description('Operator tenant whose app-only tokens with role System.Operator are system tokens')
param systemTenantId string = ''

param webAppSku string = 'B1'
param botServiceName string = resourceBaseName
param botDisplayName string = 'Service Routing'
param location string = resourceGroup().location

var storageName = toLower(replace('${resourceBaseName}st', '-', ''))
// Storage Table Data Contributor: read and write table rows, nothing else.
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource tableAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, tableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: resourceBaseName
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: resourceBaseName
  location: location
  kind: 'web'
  properties: { Application_Type: 'Node.JS', WorkspaceResourceId: workspace.id }
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  kind: 'app,linux'
  location: location
  name: resourceBaseName
  sku: { name: webAppSku }
  properties: { reserved: true }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  kind: 'app,linux'
  location: location
  name: resourceBaseName
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appCommandLine: 'node dist/bot/main.js'
      appSettings: [
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'PORT', value: '8080' }
        { name: 'SEED', value: 'none' }
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TYPE', value: 'UserAssignedMSI' }
        { name: 'BOT_TENANT_ID', value: identity.properties.tenantId }
        { name: 'AAD_APP_CLIENT_ID', value: aadAppClientId }
        { name: 'AAD_APP_ID_URI', value: 'api://${resourceBaseName}.azurewebsites.net/${aadAppClientId}' }
        { name: 'SYSTEM_TENANT_ID', value: systemTenantId }
        { name: 'TABLES_ACCOUNT_URL', value: storage.properties.primaryEndpoints.table }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        // Microsoft Graph (presence, team rosters, installing the app for people) as the SSO
        // app, signed in with no secret: the app trusts this managed identity (a federated
        // identity credential, see the README).
        { name: 'GRAPH_CLIENT_ID', value: aadAppClientId }
        { name: 'GRAPH_MANAGED_IDENTITY_CLIENT_ID', value: identity.properties.clientId }
        { name: 'PUBLIC_BASE_URL', value: 'https://${resourceBaseName}.azurewebsites.net' }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
      ]
    }
  }
  dependsOn: [tableAccess]
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botServiceName: botServiceName
    botDisplayName: botDisplayName
    botAppDomain: webApp.properties.defaultHostName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
  }
}

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
// The subject of the SSO app's federated identity credential (README, Deploying to Azure).
output IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
