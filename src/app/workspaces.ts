// The page's workspaces, one line each: the page iterates over this list (app/workspace.ts).
import { backlogWorkspace } from '../backlog/workspace.tsx'
import { circlesWorkspace } from '../circles/workspace.tsx'
import { importWorkspace } from '../import/workspace.tsx'
import { leaderWorkspace } from '../leader/workspace.tsx'
import { zonesWorkspace } from '../zones/workspace.tsx'
import { anyWorkspace, type AnyWorkspace } from './workspace.ts'

export const workspaces: readonly AnyWorkspace[] = [
  anyWorkspace(circlesWorkspace), // 8分钟服务圈: planners
  anyWorkspace(zonesWorkspace), // 三不管: planners settle, leaders inspect
  anyWorkspace(backlogWorkspace), // 基础设施欠账: the construction bureau plans and edits, leaders and planners read
  anyWorkspace(leaderWorkspace), // 领导视图: the indicators against the standards, the choropleth, the report
  anyWorkspace(importWorkspace), // 导入: a city's own files, for the roles that write a layer
]
